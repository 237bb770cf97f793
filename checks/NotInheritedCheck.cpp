//===- NotInheritedCheck.cpp - context-not-inherited ----------------------===//

#include "NotInheritedCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

NotInheritedCheck::NotInheritedCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      RootFunctions(Options.get("RootFunctions", "::ctx::background").str()),
      AllowedFunctionsOption(Options.get("AllowedFunctions", "").str()), Roots(RootFunctions),
      AllowedFunctions(AllowedFunctionsOption) {
  for (const auto &[Item, Error] : AllowedFunctions.invalid())
    configurationDiag("invalid regular expression in option 'AllowedFunctions' ('%0'): %1")
        << Item << Error;
}

void NotInheritedCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "RootFunctions", RootFunctions);
  Options.store(Opts, "AllowedFunctions", AllowedFunctionsOption);
}

class NotInheritedCheck::Part : public WalkPart {
public:
  Part(NotInheritedCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnCallExpr, false, &Check.Types}), Check(Check) {}

  void visitCallExpr(CallExpr *Call) override {
    // The name first: it rejects almost every call.
    if (!Check.Roots.matches(Call->getDirectCallee(), Ctx))
      return;
    const ScopeFrame *Scope = contextInScope();
    if (!Scope || inUnevaluatedOperand() || inSystemHeader(Call->getBeginLoc()))
      return;
    // main starts the program's work: its own body may make the root.
    if (const FunctionDecl *FD = Scope->function(); FD && FD->isMain())
      return;
    if (const ScopeFrame *Named = outermostCallable())
      if (const auto *ND = dyn_cast_or_null<NamedDecl>(Named->Callable);
          ND && !Check.AllowedFunctionsOption.empty() &&
          Check.AllowedFunctions.matches(ND->getQualifiedNameAsString()))
        return;
    // A default argument runs in the caller, whose scope is not this one.
    if (isInDefaultArgument(ancestors().drop_back()))
      return;
    Check.checkCall(Call, *Scope, ancestors().drop_back());
  }

private:
  NotInheritedCheck &Check;
};

std::unique_ptr<WalkPart> NotInheritedCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

void NotInheritedCheck::checkCall(const CallExpr *Call, const ScopeFrame &Scope,
                                  llvm::ArrayRef<DynTypedNode> Ancestors) {
  SourceLocation Loc = Call->getBeginLoc();
  if (Loc.isInvalid() || Call->containsErrors())
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  {
    auto Diag = diag(Loc, "'%0()' starts a new context tree where a context is in scope: the "
                          "work no longer ends when the caller's context ends and does not see "
                          "its values; derive from the context in scope, or detach on purpose "
                          "with 'ctx::without_cancel(c)'")
                << Callee->getQualifiedNameAsString();
    // The fix: the parameter of the function the call is written in, its
    // only context parameter, taken by value or reference, of the type the
    // root returns.
    auto Params = contextParams(Scope.function(), Types);
    if (!Scope.Inherited && Params.size() == 1 && !Params.front()->getName().empty() &&
        Params.front()->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType() ==
            Call->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType()) {
      SourceRange Range = Call->getSourceRange();
      const FunctionDecl *DestFn = nullptr;
      unsigned DestIndex = 0;
      QualType Dest = destinationType(Call, Ancestors, DestFn, DestIndex);
      // Not in a macro, not where only an rvalue binds.
      if (!Range.getBegin().isMacroID() && !Range.getEnd().isMacroID() &&
          !isRValueOnlyParameter(DestFn, DestIndex, Dest))
        Diag << FixItHint::CreateReplacement(CharSourceRange::getTokenRange(Range),
                                             Params.front()->getName());
    }
  }
  const ValueDecl *Source = Scope.Context;
  diag(Source->getLocation(), "the context in scope%select{| (of the code around the lambda or "
                              "block)}0",
       DiagnosticIDs::Note)
      << Scope.Inherited;
}

} // namespace ctx::tidy
