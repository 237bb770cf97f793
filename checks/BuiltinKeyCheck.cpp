//===- BuiltinKeyCheck.cpp - context-builtin-key --------------------------===//

#include "BuiltinKeyCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

BuiltinKeyCheck::BuiltinKeyCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      ValueFunctions(Options.get("ValueFunctions", "::ctx::with_value").str()),
      Functions(ValueFunctions) {}

void BuiltinKeyCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "ValueFunctions", ValueFunctions);
}

/// The user's code. Instantiations are walked: a key whose type depends on
/// a template parameter is only known there (Reported dedups).
class BuiltinKeyCheck::Part : public WalkPart {
public:
  Part(BuiltinKeyCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnCallExpr, /*Instantiations=*/true}), Check(Check) {}

  void visitCallExpr(CallExpr *Call) override {
    // The name test first: it rejects almost every call, and cheaply.
    const FunctionDecl *Fn = Call->getDirectCallee();
    if (Check.Functions.matches(Fn, Ctx) && !inSystemHeader(Call->getBeginLoc()))
      Check.checkCall(Call, Fn, Ctx);
  }

private:
  BuiltinKeyCheck &Check;
};

std::unique_ptr<WalkPart> BuiltinKeyCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
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

/// The key's type as the user wrote it: a variable's or member's declared
/// type, a cast's written type, else the expression's type without the
/// standard library's member typedefs (`remove_reference<T>::type` from
/// std::move says nothing to the reader).
static QualType spelledType(const Expr *E, const SourceManager &SM) {
  QualType Declared;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    Declared = DRE->getDecl()->getType();
  else if (const auto *ME = dyn_cast<MemberExpr>(E))
    Declared = ME->getMemberDecl()->getType();
  else if (const auto *EC = dyn_cast<ExplicitCastExpr>(E))
    Declared = EC->getTypeAsWritten();
  if (!Declared.isNull() && !Declared->isDependentType())
    return Declared;
  QualType T = E->getType();
  for (unsigned Depth = 0; !T.isNull() && Depth < 8; ++Depth) {
    const auto *TT = T->getAs<TypedefType>();
    if (!TT || !isa<RecordDecl>(TT->getDecl()->getDeclContext()) ||
        !SM.isInSystemHeader(TT->getDecl()->getLocation()))
      break;
    T = QualType(TT, 0).getSingleStepDesugaredType(TT->getDecl()->getASTContext())
            .withFastQualifiers(T.getLocalFastQualifiers());
  }
  return T;
}

void BuiltinKeyCheck::checkCall(const CallExpr *Call, const FunctionDecl *Fn, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
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
  // What the user wrote may be a copy of a string object (a temporary bound
  // for the by-value parameter); the copied expression's type is the key's
  // type as spelled: a variable's declared type keeps its sugar
  // (`std::string`, not `std::basic_string<char>`).
  const Expr *Written = Key->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Written);
      CE && CE->getNumArgs() == 1 && CE->getConstructor() &&
      CE->getConstructor()->isCopyOrMoveConstructor())
    Written = CE->getArg(0)->IgnoreImplicit()->IgnoreParenImpCasts();
  QualType Spelled = spelledType(Written, SM);
  if (Spelled.isNull() || Spelled->isDependentType())
    return;
  QualType Decayed = Spelled.getNonReferenceType();
  if (Decayed->isArrayType() || Decayed->isFunctionType())
    Decayed = Ctx.getDecayedType(Decayed);
  QualType Canon = Decayed.getCanonicalType().getUnqualifiedType();
  const char *Kind = builtinKind(Canon);
  if (!Kind)
    return;

  // Instantiations of a template share the pattern's locations; two keys in
  // one macro expansion do not.
  SourceLocation Loc = SM.getFileLoc(Key->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Key->getBeginLoc()).second)
    return;

  // "via alias": the user named the type through a typedef or using of
  // their own (std::string, std::size_t and friends are the type's names).
  std::string Via;
  QualType NoRef = Spelled.getNonReferenceType();
  if (const auto *TT = NoRef->getAs<TypedefType>()) {
    const TypedefNameDecl *TD = TT->getDecl();
    if (!SM.isInSystemHeader(TD->getLocation()))
      Via = " via alias '" + TD->getQualifiedNameAsString() + "'";
  } else if (const auto *TST = NoRef->getAs<TemplateSpecializationType>();
             TST && TST->isTypeAlias()) {
    if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl();
        TD && !SM.isInSystemHeader(TD->getLocation()))
      Via = " via alias '" + TD->getQualifiedNameAsString() + "'";
  }

  // A key written inside a macro body is reported where the macro is
  // expanded; naming it keeps two keys of one expansion apart (clang-tidy
  // merges identical messages at one place).
  std::string InMacro;
  const LangOptions &LO = Ctx.getLangOpts();
  if (Key->getBeginLoc().isMacroID() &&
      Lexer::makeFileCharRange(CharSourceRange::getTokenRange(Key->getSourceRange()), SM, LO)
          .isInvalid())
    InMacro = " '" + spelledInMacroBody(Key->getSourceRange(), SM, LO) + "' from macro '" +
              Lexer::getImmediateMacroName(Key->getBeginLoc(), SM, LO).str() + "'";

  // The type as the user spelled it (std::string, const char *), or, through
  // a user's alias, the type the alias stands for.
  diag(Loc, "with_value key%3 has type %0%1, %2 that other code can use as a key too; "
            "define a key type of your own (e.g. 'struct FooKey {};') or use 'ctx::Key<T>'")
      << (Via.empty() ? Decayed.getUnqualifiedType() : Canon) << Via << Kind << InMacro;
}

} // namespace ctx::tidy
