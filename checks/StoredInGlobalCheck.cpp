//===- StoredInGlobalCheck.cpp - context-stored-in-global -----------------===//

#include "StoredInGlobalCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

StoredInGlobalCheck::StoredInGlobalCheck(llvm::StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      AllowedVariablesRaw(Options.get("AllowedVariables", "").str()),
      AllowedVariables(AllowedVariablesRaw) {
  for (const auto &[Item, Error] : AllowedVariables.invalid())
    configurationDiag("invalid regular expression in option 'AllowedVariables' ('%0'): %1")
        << Item << Error;
}

void StoredInGlobalCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "AllowedVariables", AllowedVariablesRaw);
}

/// The user's code. Instantiations are not walked: a template (a variable
/// template, a class template's static member) is reported once, as written.
class StoredInGlobalCheck::Part : public WalkPart {
public:
  Part(StoredInGlobalCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnVarDecl}), Check(Check) {}

  void visitVarDecl(VarDecl *Var) override {
    if (!Var->isImplicit() && !inSystemHeader(Var->getBeginLoc()))
      Check.checkVariable(Var);
  }

private:
  StoredInGlobalCheck &Check;
};

std::unique_ptr<WalkPart> StoredInGlobalCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

void StoredInGlobalCheck::checkVariable(const VarDecl *Var) {
  if (Var->isInvalidDecl() || Var->getLocation().isInvalid())
    return;
  // Static and thread storage only (parameters and automatic locals are
  // how a context should travel).
  if (Var->getStorageDuration() != SD_Static && Var->getStorageDuration() != SD_Thread)
    return;
  // One warning per variable, at its first declaration in the translation
  // unit (an `extern` declaration, a static member's in-class declaration).
  if (!Var->isFirstDecl())
    return;
  // One report per template, on the pattern.
  if (isInInstantiation(Var))
    return;

  QualType Found;
  if (!Types.holdsContext(Var->getType(), Found))
    return;
  if (AllowedVariables.matches(scopedName(Var)) ||
      AllowedVariables.matches(Var->getQualifiedNameAsString()))
    return;

  // A structured binding's declaration has no name of its own: show it
  // as written, `[c, cancel]`.
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  Var->printName(OS);
  QualType Written = Var->getType();
  if (Var->getTLSKind() != VarDecl::TLS_None) {
    diag(Var->getLocation(),
         "thread-local variable '%0' stores a context in thread-local storage (type %1); "
         "implicit per-thread state is what explicit contexts replace: pass the context as "
         "the first parameter of the functions that need it instead")
        << OS.str() << Written;
  } else {
    unsigned Kind = Var->isStaticDataMember() ? 1 : Var->isStaticLocal() ? 2 : 0;
    diag(Var->getLocation(),
         "%select{global variable|static data member|static local variable}0 '%1' stores a "
         "context (type %2); pass the context explicitly, as the first parameter of the "
         "functions that need it, instead of through a variable with static storage")
        << Kind << OS.str() << Written;
  }
  if (Written.getCanonicalType().getUnqualifiedType() != Found)
    diag(Var->getLocation(), "the context type it holds is %0", DiagnosticIDs::Note) << Found;
}

} // namespace ctx::tidy
