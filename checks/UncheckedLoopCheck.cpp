//===- UncheckedLoopCheck.cpp - context-unchecked-loop --------------------===//

#include "UncheckedLoopCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

UncheckedLoopCheck::UncheckedLoopCheck(llvm::StringRef Name,
                                       clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      BlockingFunctionsOption(
          Options.get("BlockingFunctions", DefaultBlockingFunctions).str()),
      Blocking(BlockingFunctionsOption), AfterFunc("::ctx::after_func") {}

void UncheckedLoopCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "BlockingFunctions", BlockingFunctionsOption);
}

bool UncheckedLoopCheck::isWatchType(QualType T, ASTContext &Ctx) const {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return false;
  llvm::StringRef N = RD->getName();
  if (N != "Done" && N != "stop_token")
    return false;
  auto [It, New] = WatchTypes.try_emplace(RD->getCanonicalDecl(), false);
  if (New)
    It->second = !match(namedDecl(hasAnyName("::ctx::Done", "::std::stop_token")), *RD, Ctx).empty();
  return It->second;
}

/// Whether Child, directly under Loop, runs once per iteration: not a
/// `for` init-statement, nor a range-`for`'s range and its begin and end.
static bool runsPerIteration(const Stmt *Loop, const DynTypedNode &Child) {
  const Stmt *S = Child.get<Stmt>();
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    return !S || S != F->getInit();
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    return !S || (S != R->getInit() && S != R->getRangeStmt() && S != R->getBeginStmt() &&
                  S != R->getEndStmt());
  return true;
}

namespace {
/// Whether a statement refers to one of a set of variables (the captures of
/// an after_func callback); run only on loops about to be reported.
class RefersTo : public RecursiveASTVisitor<RefersTo> {
public:
  explicit RefersTo(const llvm::SmallPtrSetImpl<const ValueDecl *> &Vars) : Vars(Vars) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    Found = Found || Vars.count(E->getDecl());
    return !Found;
  }
  const llvm::SmallPtrSetImpl<const ValueDecl *> &Vars;
  bool Found = false;
};
} // namespace

class UncheckedLoopCheck::Part : public WalkPart {
public:
  Part(UncheckedLoopCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnLoops | OnFrames | OnCallExpr | OnExpr | OnLambdaExpr | OnBlockExpr,
                        false, &Check.Types}),
        Check(Check) {}

  // Loops where a context is in scope are followed; the others pass by.
  void enterLoop(Stmt *S) override {
    if (contextInScope() && !inSystemHeader(S->getBeginLoc()))
      Loops.push_back({S, frameDepth()});
  }
  void leaveLoop(Stmt *S) override {
    if (Loops.empty() || Loops.back().S != S)
      return;
    Loop L = Loops.pop_back_val();
    if (L.Blocking && !L.Looks)
      Pending.push_back(L); // decided where the function ends (after_func)
  }

  void visitCallExpr(CallExpr *Call) override {
    if (!contextInScope())
      return;
    if (Check.AfterFunc.matches(Call->getDirectCallee(), Ctx) || takesContext(Call))
      noteCallbackCaptures(Call);
    if (Loops.empty() || Loops.back().Depth != frameDepth() || Loops.back().Blocking ||
        inUnevaluatedOperand() || !Check.Blocking.matches(Call, Ctx))
      return;
    // The innermost loop only, and only from its per-iteration parts.
    llvm::ArrayRef<DynTypedNode> A = ancestors();
    for (size_t I = A.size(); I-- > 1;)
      if (A[I - 1].get<Stmt>() == Loops.back().S) {
        if (runsPerIteration(Loops.back().S, A[I]))
          Loops.back().Blocking = Call;
        break;
      }
  }

  void visitExpr(Expr *E) override {
    if (Loops.empty() || Loops.back().Depth != frameDepth() || Loops.back().Looks)
      return;
    QualType T = E->getType();
    if (T.isNull() || !(Check.Types.isContextOrRefOrPtr(T) || Check.isWatchType(T, Ctx)))
      return;
    looked();
  }
  // A lambda or block written in the loop that captures the context looks
  // at it (the lambda is the loop's way to watch it).
  void visitLambdaExpr(LambdaExpr *LE) override {
    if (Loops.empty() || Loops.back().Looks)
      return;
    for (const LambdaCapture &C : LE->captures())
      if (C.capturesVariable() && capturesWatch(C.getCapturedVar()))
        return looked();
  }
  void visitBlockExpr(BlockExpr *BE) override {
    if (Loops.empty() || Loops.back().Looks)
      return;
    for (const BlockDecl::Capture &C : BE->getBlockDecl()->captures())
      if (capturesWatch(C.getVariable()))
        return looked();
  }

  void leaveFrame(const ScopeFrame &) override {
    size_t Depth = frameDepth();
    while (!Pending.empty() && Pending.back().Depth == Depth) {
      Loop L = Pending.pop_back_val();
      RefersTo R(AfterFuncVars);
      if (!AfterFuncVars.empty() && AfterFuncDepth == Depth)
        R.TraverseStmt(const_cast<Stmt *>(L.S));
      if (!R.Found)
        report(L);
    }
    if (AfterFuncDepth == Depth) {
      AfterFuncVars.clear();
      AfterFuncDepth = 0;
    }
  }

private:
  struct Loop {
    const Stmt *S;
    size_t Depth;
    const CallExpr *Blocking = nullptr;
    bool Looks = false;
  };

  bool capturesWatch(const ValueDecl *V) {
    return V && (Check.Types.isContextOrRefOrPtr(V->getType()) || Check.isWatchType(V->getType(), Ctx));
  }

  /// The expression being visited looks at the context: so do the loops of
  /// this frame whose per-iteration parts hold it.
  void looked() {
    llvm::ArrayRef<DynTypedNode> A = ancestors();
    size_t L = Loops.size();
    for (size_t I = A.size(); I-- > 1 && L > 0;) {
      Loop &Cur = Loops[L - 1];
      if (Cur.Depth != frameDepth())
        break;
      if (A[I - 1].get<Stmt>() != Cur.S)
        continue;
      if (runsPerIteration(Cur.S, A[I]))
        Cur.Looks = true;
      --L;
    }
  }

  bool takesContext(const CallExpr *Call) const {
    for (const Expr *Arg : Call->arguments())
      if (Check.Types.isContextOrRefOrPtr(Arg->getType()))
        return true;
    return false;
  }

  /// `ctx::after_func(c, [&] { ... })`, or any call handed a context and a
  /// callback (gRPC's `stub->async()->SayHello(ctx, &req, &reply, [&](Status)
  /// {...})`): the callback runs when the context ends or the work that
  /// carries it does, so the variables it captures by reference are how the
  /// function watches the context.
  void noteCallbackCaptures(const CallExpr *Call) {
    for (const Expr *Arg : Call->arguments()) {
      const Stmt *S = Arg;
      // Through the std::function built from the lambda.
      for (unsigned Depth = 0; S && !isa<LambdaExpr>(S) && Depth < 8; ++Depth) {
        auto Children = S->children();
        S = Children.empty() ? nullptr : *Children.begin();
      }
      if (const auto *LE = dyn_cast_or_null<LambdaExpr>(S))
        for (const LambdaCapture &C : LE->captures())
          if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef) {
            AfterFuncVars.insert(C.getCapturedVar());
            AfterFuncDepth = frameDepth();
          }
    }
  }

  void report(const Loop &L) {
    Check.diag(L.S->getBeginLoc(), "this loop blocks but never looks at the context in "
                                   "scope: it goes on after the caller has cancelled; check "
                                   "the context (done(), err()) or pass it to the wait");
    Check.diag(L.Blocking->getBeginLoc(), "blocking call of '%0'", DiagnosticIDs::Note)
        << L.Blocking->getDirectCallee()->getQualifiedNameAsString();
  }

  UncheckedLoopCheck &Check;
  llvm::SmallVector<Loop, 4> Loops;
  llvm::SmallVector<Loop, 4> Pending;
  llvm::SmallPtrSet<const ValueDecl *, 4> AfterFuncVars;
  size_t AfterFuncDepth = 0;
};

std::unique_ptr<WalkPart> UncheckedLoopCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

} // namespace ctx::tidy
