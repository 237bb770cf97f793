//===- ContextScope.cpp ---------------------------------------------------===//

#include "ContextScope.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;

namespace ctx::tidy {

template <typename Params>
static void addContextParams(const Params &Ps, const ContextTypeSet &Types,
                             llvm::SmallVectorImpl<const ValueDecl *> &Out) {
  for (const ParmVarDecl *P : Ps)
    if (P && Types.isContextOrRefOrPtr(P->getType()))
      Out.push_back(P);
}

llvm::SmallVector<const ValueDecl *, 2> nameableContexts(const ScopeFrame &F,
                                                        const ContextTypeSet &Types) {
  llvm::SmallVector<const ValueDecl *, 2> Out;
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(F.Callable))
    addContextParams(FD->parameters(), Types, Out);
  else if (const auto *BD = dyn_cast_or_null<BlockDecl>(F.Callable))
    addContextParams(BD->parameters(), Types, Out);
  else if (const auto *MD = dyn_cast_or_null<ObjCMethodDecl>(F.Callable))
    addContextParams(MD->parameters(), Types, Out);
  if (F.Lambda)
    for (const LambdaCapture &C : F.Lambda->captures())
      if (C.capturesVariable())
        if (const ValueDecl *V = C.getCapturedVar(); V && Types.isContextOrRefOrPtr(V->getType()))
          Out.push_back(V);
  return Out;
}

ScopeFrame makeScopeFrame(const Decl *D, const LambdaExpr *Lambda, const ScopeFrame *Outer,
                          const ContextTypeSet &Types) {
  ScopeFrame F;
  F.Callable = D;
  F.Lambda = Lambda;
  if (isa<CXXRecordDecl>(D))
    return F; // a class: its member initializers are in no function
  auto Own = nameableContexts(F, Types);
  if (!Own.empty()) {
    F.Context = Own.front();
    return F;
  }
  // A lambda or block could capture what the code around it has in scope.
  if ((Lambda || isa<BlockDecl>(D)) && Outer && Outer->Context) {
    F.Context = Outer->Context;
    F.Inherited = true;
  }
  return F;
}

BlockingFunctionList::BlockingFunctionList(llvm::StringRef OptionValue) : Functions(OptionValue) {
  for (const std::string &N : parseList(OptionValue)) {
    auto [Scope, Member] = llvm::StringRef(N).rsplit("::");
    if (!Member.empty() && !Scope.empty())
      ClassesByMember[Member].push_back(Scope.str());
  }
}

bool BlockingFunctionList::matches(const CallExpr *Call, ASTContext &Ctx) const {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return false;
  if (Functions.matches(Callee, Ctx))
    return true;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const IdentifierInfo *II = Callee->getIdentifier();
  if (!MC || !II)
    return false;
  auto It = ClassesByMember.find(II->getName());
  if (It == ClassesByMember.end())
    return false;
  // The class of the object, not of the declaration: the member may be
  // inherited from a base the list does not name.
  const CXXRecordDecl *RD = MC->getRecordDecl();
  if (const Expr *Obj = MC->getImplicitObjectArgument()) {
    QualType T = Obj->IgnoreParenBaseCasts()->getType();
    if (const auto *PT = T->getAs<PointerType>())
      T = PT->getPointeeType();
    if (const CXXRecordDecl *ObjRD = T->getAsCXXRecordDecl())
      RD = ObjRD;
  }
  if (!RD)
    return false;
  auto [V, New] = ClassVerdicts.try_emplace({RD->getCanonicalDecl(), II}, false);
  if (New) {
    std::vector<llvm::StringRef> Refs(It->second.begin(), It->second.end());
    V->second = !ast_matchers::match(ast_matchers::namedDecl(ast_matchers::hasAnyName(Refs)),
                                     *RD, Ctx)
                     .empty();
  }
  return V->second;
}

} // namespace ctx::tidy
