//===- BuiltinKeyCheck.cpp - context-builtin-key --------------------------===//

#include "BuiltinKeyCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

BuiltinKeyCheck::BuiltinKeyCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Types(Options),
      ValueFunctions(Options.get("ValueFunctions", "::ctx::with_value").str()) {}

void BuiltinKeyCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "ValueFunctions", ValueFunctions);
}

void BuiltinKeyCheck::registerMatchers(MatchFinder *Finder) {
  std::vector<std::string> Owned = parseList(ValueFunctions);
  std::vector<llvm::StringRef> Names(Owned.begin(), Owned.end());
  if (Names.empty())
    return;
  Finder->addMatcher(callExpr(unless(isExpansionInSystemHeader()),
                              callee(functionDecl(hasAnyName(Names)).bind("fn")))
                         .bind("call"),
                     this);
}

/// Why T is a key type shared by everyone, or null if it is not: T is the
/// key's canonical, decayed, unqualified type.
static const char *builtinKind(QualType T) {
  if (T->isEnumeralType())
    return nullptr;
  if (T->isBuiltinType())
    return "a built-in type";
  if (const auto *PT = T->getAs<PointerType>())
    return PT->getPointeeType()->isAnyCharacterType() ? "a pointer to characters" : nullptr;
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl()))
    if (Spec->isInStdNamespace() && Spec->getIdentifier() &&
        (Spec->getName() == "basic_string" || Spec->getName() == "basic_string_view"))
      return "a standard string type";
  return nullptr;
}

void BuiltinKeyCheck::check(const MatchFinder::MatchResult &Result) {
  if (hasCompileErrors(*Result.Context))
    return;
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>("call");
  const auto *Fn = Result.Nodes.getNodeAs<FunctionDecl>("fn");
  if (Call->containsErrors() || Call->isTypeDependent())
    return;
  // The key is the parameter named "key"; without one, the argument after
  // the parent context.
  const FunctionDecl *Pattern = Fn->getTemplateInstantiationPattern();
  if (!Pattern)
    Pattern = Fn;
  // A value function derives a context: it takes or returns one. That keeps
  // an unrelated function of the same name in another library out.
  bool DerivesContext = Types.isContextOrRef(Pattern->getReturnType());
  for (const ParmVarDecl *P : Pattern->parameters())
    DerivesContext = DerivesContext || Types.isContextOrRefOrPtr(P->getType());
  if (!DerivesContext)
    return;
  unsigned KeyIndex = 1;
  for (unsigned I = 0; I < Pattern->getNumParams(); ++I)
    if (Pattern->getParamDecl(I)->getName() == "key")
      KeyIndex = I;
  if (KeyIndex >= Call->getNumArgs())
    return;
  const Expr *Key = Call->getArg(KeyIndex);
  if (isa<CXXDefaultArgExpr>(Key))
    return;
  const Expr *Written = Key->IgnoreParenImpCasts();
  // What the user wrote may be a copy of a string object; the written
  // expression's type is the key's type as spelled.
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Written);
      CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
      CE->getConstructor()->isCopyOrMoveConstructor())
    Written = CE->getArg(0)->IgnoreParenImpCasts();
  QualType Spelled = Written->getType();
  if (Spelled.isNull() || Spelled->isDependentType())
    return;
  ASTContext &Ctx = *Result.Context;
  QualType Decayed = Spelled.getNonReferenceType();
  if (Decayed->isArrayType() || Decayed->isFunctionType())
    Decayed = Ctx.getDecayedType(Decayed);
  QualType Canon = Decayed.getCanonicalType().getUnqualifiedType();
  const char *Kind = builtinKind(Canon);
  if (!Kind)
    return;

  SourceLocation Loc = Result.SourceManager->getFileLoc(Key->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;

  // "via alias": the user named the type through a typedef or using of
  // their own (std::string, std::size_t and friends are the type's names).
  std::string Via;
  QualType NoRef = Spelled.getNonReferenceType();
  if (const auto *TT = NoRef->getAs<TypedefType>()) {
    const TypedefNameDecl *TD = TT->getDecl();
    if (!Result.SourceManager->isInSystemHeader(TD->getLocation()))
      Via = " via alias '" + TD->getQualifiedNameAsString() + "'";
  } else if (const auto *TST = NoRef->getAs<TemplateSpecializationType>();
             TST && TST->isTypeAlias()) {
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl();
        TD && !Result.SourceManager->isInSystemHeader(TD->getLocation()))
      Via = " via alias '" + TD->getQualifiedNameAsString() + "'";
  }

  // The type as the user spelled it (std::string, const char *), or, through
  // a user's alias, the type the alias stands for.
  diag(Loc, "with_value key has type %0%1, %2 that other code can use as a key too; "
            "define a key type of your own (e.g. 'struct FooKey {};') or use 'ctx::Key<T>'")
      << (Via.empty() ? Decayed.getUnqualifiedType() : Canon) << Via << Kind;
}

} // namespace ctx::tidy
