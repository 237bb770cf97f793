//===- UserCodeWalk.cpp - The one walk of the user's code ----------------===//
#include "UserCodeWalk.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>
#include <mutex>

using namespace clang;

namespace ctx::tidy {

static bool isInstantiationKind(TemplateSpecializationKind K) {
  return K == TSK_ImplicitInstantiation || K == TSK_ExplicitInstantiationDeclaration ||
         K == TSK_ExplicitInstantiationDefinition;
}

/// Whether D is itself a template instantiation (what RecursiveASTVisitor
/// leaves out, with everything in it, unless told to visit instantiations).
/// An explicit specialization, full or partial, is code the user wrote.
static bool isOwnInstantiation(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return isInstantiationKind(FD->getTemplateSpecializationKind());
  if (const auto *CS = dyn_cast<ClassTemplateSpecializationDecl>(D))
    return !isa<ClassTemplatePartialSpecializationDecl>(CS) &&
           isInstantiationKind(CS->getSpecializationKind());
  if (const auto *VS = dyn_cast<VarTemplateSpecializationDecl>(D))
    return !isa<VarTemplatePartialSpecializationDecl>(VS) &&
           isInstantiationKind(VS->getSpecializationKind());
  return false;
}

class UserCodeWalk::Walker : public AncestorTrackingVisitor<Walker> {
  using Base = AncestorTrackingVisitor<Walker>;

public:
  Walker(ASTContext &Ctx, llvm::ArrayRef<std::unique_ptr<WalkPart>> Parts) : Base(Ctx) {
    for (const std::unique_ptr<WalkPart> &P : Parts) {
      const WalkPart::Config &C = P->config();
      Instantiations = Instantiations || C.Instantiations;
      for (unsigned H = 0; H < WalkPart::NumHooks; ++H)
        if (C.Hooks & (1u << H))
          ByHook[H].push_back(P.get());
      if (C.ScopeTypes)
        P->ScopeIndex = scopeFor(*C.ScopeTypes);
    }
  }

  bool shouldVisitTemplateInstantiations() const { return Instantiations; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    const bool Inst = Instantiations && isOwnInstantiation(D);
    InstantiationDepth += Inst;
    bool Result;
    if (isFrame(D))
      Result = traverseFrame(D);
    else
      Result = traverseWithHooks(D);
    InstantiationDepth -= Inst;
    return Result;
  }
  // No queue parameter: the lambda's captures and body are walked before
  // this returns, so the lambda stack covers exactly them.
  bool TraverseLambdaExpr(LambdaExpr *LE) {
    Lambdas.push_back(LE);
    bool Result = Base::TraverseLambdaExpr(LE);
    Lambdas.pop_back();
    return Result;
  }
  // No queue parameter: the loop's parts are walked before these return.
  bool TraverseForStmt(ForStmt *S) { return loop(S, [&] { return Base::TraverseForStmt(S); }); }
  bool TraverseWhileStmt(WhileStmt *S) {
    return loop(S, [&] { return Base::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt *S) { return loop(S, [&] { return Base::TraverseDoStmt(S); }); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
    return loop(S, [&] { return Base::TraverseCXXForRangeStmt(S); });
  }

#define CTX_WALK_HOOK(Class, Hook, Method)                                                        \
  bool Visit##Class(Class *N) {                                                                   \
    dispatch(WalkPart::Hook, [N](WalkPart *P) { P->Method(N); });                                 \
    return true;                                                                                  \
  }
  CTX_WALK_HOOK(Expr, OnExpr, visitExpr)
  CTX_WALK_HOOK(CallExpr, OnCallExpr, visitCallExpr)
  CTX_WALK_HOOK(CXXConstructExpr, OnCXXConstructExpr, visitCXXConstructExpr)
  CTX_WALK_HOOK(LambdaExpr, OnLambdaExpr, visitLambdaExpr)
  CTX_WALK_HOOK(BlockExpr, OnBlockExpr, visitBlockExpr)
  CTX_WALK_HOOK(BinaryOperator, OnBinaryOperator, visitBinaryOperator)
  CTX_WALK_HOOK(CXXOperatorCallExpr, OnCXXOperatorCallExpr, visitCXXOperatorCallExpr)
  CTX_WALK_HOOK(FunctionDecl, OnFunctionDecl, visitFunctionDecl)
  CTX_WALK_HOOK(ObjCMethodDecl, OnObjCMethodDecl, visitObjCMethodDecl)
  CTX_WALK_HOOK(FieldDecl, OnFieldDecl, visitFieldDecl)
  CTX_WALK_HOOK(VarDecl, OnVarDecl, visitVarDecl)
#undef CTX_WALK_HOOK

  bool unevaluated() const { return inUnevaluatedOperand(); }
  size_t depth() const { return Depth; }
  const ScopeFrame *innermost(unsigned Scope) const {
    return Depth && Scope < Scopes.size() ? &Scopes[Scope].Frames.back() : nullptr;
  }
  const ScopeFrame *outermostCallable(unsigned Scope) const {
    if (Scope >= Scopes.size())
      return nullptr;
    for (const ScopeFrame &F : llvm::reverse(Scopes[Scope].Frames))
      if (!F.isLambda() && !isa<BlockDecl>(F.Callable))
        return &F;
    return nullptr;
  }

private:
  /// One stack of frames per distinct ContextTypes option among the parts.
  struct ScopeStack {
    const ContextTypeSet *Types;
    llvm::SmallVector<ScopeFrame, 8> Frames;
  };

  unsigned scopeFor(const ContextTypeSet &Types) {
    for (unsigned I = 0; I < Scopes.size(); ++I)
      if (Scopes[I].Types == &Types || Scopes[I].Types->optionValue() == Types.optionValue())
        return I;
    Scopes.push_back({&Types, {}});
    return Scopes.size() - 1;
  }

  static bool isFrame(const Decl *D) {
    if (isa<FunctionDecl, BlockDecl, ObjCMethodDecl>(D))
      return true;
    const auto *RD = dyn_cast<CXXRecordDecl>(D);
    return RD && !RD->isLambda();
  }

  /// A function, block, method or class: its frame (ContextScope.h) is open
  /// while it is walked.
  bool traverseFrame(Decl *D) {
    const LambdaExpr *Lambda = nullptr;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D);
        MD && !Lambdas.empty() && MD->getParent() == Lambdas.back()->getLambdaClass() &&
        isLambdaCallOperator(MD))
      Lambda = Lambdas.back();
    for (ScopeStack &S : Scopes)
      S.Frames.push_back(
          makeScopeFrame(D, Lambda, S.Frames.empty() ? nullptr : &S.Frames.back(), *S.Types));
    ++Depth;
    bool Result = traverseWithHooks(D);
    for (WalkPart *P : ByHook[index(WalkPart::OnFrames)])
      if (sees(P))
        P->leaveFrame(Scopes[P->ScopeIndex].Frames.back());
    --Depth;
    for (ScopeStack &S : Scopes)
      S.Frames.pop_back();
    return Result;
  }

  bool traverseWithHooks(Decl *D) {
    dispatch(WalkPart::OnEveryDecl, [D](WalkPart *P) { P->enterDecl(D); });
    bool Result = Base::TraverseDecl(D);
    dispatch(WalkPart::OnEveryDecl, [D](WalkPart *P) { P->leaveDecl(D); });
    return Result;
  }

  template <typename Fn> bool loop(Stmt *S, Fn Traverse) {
    dispatch(WalkPart::OnLoops, [S](WalkPart *P) { P->enterLoop(S); });
    bool Result = Traverse();
    dispatch(WalkPart::OnLoops, [S](WalkPart *P) { P->leaveLoop(S); });
    return Result;
  }

  static constexpr unsigned index(WalkPart::Hook H) { return llvm::countr_zero(unsigned(H)); }
  /// Whether P sees the node being visited: outside instantiations all
  /// parts do; inside, only those that asked.
  bool sees(const WalkPart *P) const { return !InstantiationDepth || P->config().Instantiations; }
  template <typename Fn> void dispatch(WalkPart::Hook H, Fn Call) {
    for (WalkPart *P : ByHook[index(H)])
      if (sees(P))
        Call(P);
  }

  llvm::SmallVector<WalkPart *, 4> ByHook[WalkPart::NumHooks];
  bool Instantiations = false;
  unsigned InstantiationDepth = 0; // instantiations around the node visited
  llvm::SmallVector<ScopeStack, 1> Scopes;
  size_t Depth = 0; // frames open
  llvm::SmallVector<const LambdaExpr *, 4> Lambdas;
};

WalkPart::WalkPart(const UserCodeWalk &Walk, Config C)
    : Ctx(Walk.astContext()), SM(Ctx.getSourceManager()), Walk(Walk), Conf(C) {}
WalkPart::~WalkPart() = default;

llvm::ArrayRef<DynTypedNode> WalkPart::ancestors() const { return Walk.Active->ancestors(); }
bool WalkPart::inUnevaluatedOperand() const { return Walk.Active->unevaluated(); }
const ScopeFrame *WalkPart::innermostFrame() const { return Walk.Active->innermost(ScopeIndex); }
size_t WalkPart::frameDepth() const { return Walk.Active->depth(); }
const ScopeFrame *WalkPart::outermostCallable() const {
  return Walk.Active->outermostCallable(ScopeIndex);
}

namespace {
/// The walks alive, by MatchFinder. Checks of different translation units
/// (clangd builds several at once) join different walks.
struct Registry {
  std::mutex M;
  llvm::DenseMap<const void *, std::weak_ptr<UserCodeWalk>> Walks;
};
Registry &registry() {
  static Registry *R = new Registry; // outlives checks destroyed at exit
  return *R;
}
} // namespace

std::shared_ptr<UserCodeWalk> UserCodeWalk::join(const void *Finder, WalkingCheck &Check) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Lock(R.M);
  // A MatchFinder's address can be reused once it and its checks are gone.
  for (auto It = R.Walks.begin(), End = R.Walks.end(); It != End;) {
    auto Cur = It++;
    if (Cur->second.expired())
      R.Walks.erase(Cur);
  }
  std::weak_ptr<UserCodeWalk> &Slot = R.Walks[Finder];
  std::shared_ptr<UserCodeWalk> W = Slot.lock();
  if (!W) {
    W = std::make_shared<UserCodeWalk>();
    Slot = W;
  }
  W->Checks.push_back(&Check);
  return W;
}

void UserCodeWalk::leave(WalkingCheck &Check) { llvm::erase(Checks, &Check); }

void UserCodeWalk::run(ASTContext &Ctx) {
  if (Walked == &Ctx)
    return;
  Walked = &Ctx;
  Current = &Ctx;
  const bool Broken = hasCompileErrors(Ctx);
  std::vector<std::unique_ptr<WalkPart>> Parts;
  for (WalkingCheck *C : Checks)
    if (!Broken || C->runsOnCompileErrors())
      Parts.push_back(C->makePart(*this));
  if (!Parts.empty()) {
    Walker W(Ctx, Parts);
    Active = &W;
    W.traverseTranslationUnit();
    Active = nullptr;
  }
  Parts.clear();
  Current = nullptr;
}

WalkingCheck::~WalkingCheck() {
  if (Walk)
    Walk->leave(*this);
}

void WalkingCheck::registerMatchers(ast_matchers::MatchFinder *Finder) {
  if (!walks())
    return;
  // One match: the checks walk the user's code themselves, all at once.
  Finder->addMatcher(ast_matchers::translationUnitDecl(), this);
  Walk = UserCodeWalk::join(Finder, *this);
}

void WalkingCheck::check(const ast_matchers::MatchFinder::MatchResult &Result) {
  Walk->run(*Result.Context);
}

void WalkingCheck::onEndOfTranslationUnit() {
  if (Walk)
    Walk->endTranslationUnit();
}

} // namespace ctx::tidy
