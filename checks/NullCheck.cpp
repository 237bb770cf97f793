//===- NullCheck.cpp - context-null ---------------------------------------===//

#include "NullCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

NullCheck::NullCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      TodoFunction(Options.get("TodoFunction", "ctx::todo").str()) {}

void NullCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "TodoFunction", TodoFunction);
}

/// Whether a call or construction passes some argument of context type (a
/// context, a reference to one or a pointer to one, as converted for its
/// parameter). A type test per argument: far cheaper than asking every call
/// where it was expanded, which is the next filter.
template <typename Range>
static bool passesContextArgument(Range Args, const ContextTypeSet &Types) {
  for (const Expr *A : Args)
    if (A && !A->isTypeDependent() && Types.isContextOrRefOrPtr(A->getType()))
      return true;
  return false;
}

/// The user's code, with the scope the fix-it needs: the innermost function
/// around a call, and whether the call is in a default argument (a lambda
/// written there is a function of its own). Kept on a stack as the walk
/// enters declarations, instead of asking the parent map on each finding,
/// whose construction for the whole translation unit costs more than all
/// of this check's other work together. Instantiations are walked: a call
/// whose callee depends on a template parameter only resolves there
/// (Reported dedups).
class NullCheck::Part : public WalkPart {
public:
  Part(NullCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnEveryDecl | OnCallExpr | OnCXXConstructExpr, /*Instantiations=*/true}),
        Check(Check) {}

  void enterDecl(Decl *D) override {
    if (auto *FD = dyn_cast<FunctionDecl>(D))
      Scopes.push_back({FD, false});
    // A class's members (a local class's, a lambda's) are not in the scope
    // of the function around the class.
    else if (isa<CXXRecordDecl>(D))
      Scopes.push_back({nullptr, false});
    else if (isa<ParmVarDecl>(D))
      Scopes.push_back({nullptr, true});
  }
  void leaveDecl(Decl *D) override {
    if (isa<FunctionDecl, CXXRecordDecl, ParmVarDecl>(D))
      Scopes.pop_back();
  }
  void visitCallExpr(CallExpr *E) override {
    if (passesContextArgument(E->arguments(), Check.Types))
      visit(E);
  }
  void visitCXXConstructExpr(CXXConstructExpr *E) override {
    if (passesContextArgument(E->arguments(), Check.Types))
      visit(E);
  }

private:
  struct Scope {
    const FunctionDecl *F;
    bool DefaultArg;
  };
  void visit(const Expr *E) {
    // Nothing in an unevaluated operand runs, so no context is passed
    // there: `decltype(f(nullptr))` names a type.
    if (inUnevaluatedOperand() || inSystemHeader(E->getBeginLoc()))
      return;
    Scope S = Scopes.empty() ? Scope{nullptr, false} : Scopes.back();
    Check.checkCall(E, S.F, S.DefaultArg, Ctx);
  }

  NullCheck &Check;
  llvm::SmallVector<Scope, 8> Scopes;
};

std::unique_ptr<WalkPart> NullCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

/// Strips what the compiler adds between an argument as written and the
/// parameter: implicit casts, temporaries, parentheses, and the explicit
/// casts that only name the type again (`Context(nullptr)`).
static const Expr *stripToWritten(const Expr *E) {
  while (E) {
    const Expr *Next = E->IgnoreParens();
    if (const auto *FE = dyn_cast<FullExpr>(Next))
      Next = FE->getSubExpr();
    else if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = MT->getSubExpr();
    else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = BT->getSubExpr();
    else if (const auto *IC = dyn_cast<ImplicitCastExpr>(Next))
      Next = IC->getSubExpr();
    else if (const auto *EC = dyn_cast<ExplicitCastExpr>(Next);
             EC && (EC->getCastKind() == CK_ConstructorConversion || EC->getCastKind() == CK_NoOp))
      Next = EC->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

bool NullCheck::isNullContext(const Expr *E, ASTContext &Ctx) const {
  for (unsigned Depth = 0; E && Depth < 8; ++Depth) {
    E = stripToWritten(E);
    if (const auto *ILE = dyn_cast<InitListExpr>(E))
      // `{}` for an aggregate context type.
      return ILE->getNumInits() == 0 && Types.isContext(ILE->getType());
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (!CE || !Types.isContext(CE->getType()))
      return false;
    const CXXConstructorDecl *Ctor = CE->getConstructor();
    unsigned Written = 0;
    for (const Expr *A : CE->arguments())
      if (!isa<CXXDefaultArgExpr>(A))
        ++Written;
    // Context(), Context{}, {}: the default (null) context.
    if (Written == 0)
      return Ctor && Ctor->isDefaultConstructor();
    if (Written != 1 || !Ctor)
      return false;
    const Expr *Arg = CE->getArg(0);
    // A copy or move of another expression: look at what is copied.
    if (Ctor->isCopyOrMoveConstructor()) {
      E = Arg;
      continue;
    }
    // A converting constructor fed a null pointer constant: nullptr, NULL, 0.
    return Arg->IgnoreParenImpCasts()->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
  }
  return false;
}

/// The range [Begin, End] in file locations (macros count where they are
/// expanded), or an invalid range.
static SourceRange fileRange(SourceRange R, const SourceManager &SM) {
  SourceLocation B = SM.getExpansionLoc(R.getBegin()), E = SM.getExpansionLoc(R.getEnd());
  if (B.isInvalid() || E.isInvalid())
    return {};
  return {B, E};
}

static bool rangeContains(SourceRange R, SourceLocation Loc, const SourceManager &SM) {
  return R.isValid() && Loc.isValid() && !SM.isBeforeInTranslationUnit(Loc, R.getBegin()) &&
         !SM.isBeforeInTranslationUnit(R.getEnd(), Loc);
}

/// Whether Loc lies in code that F runs: its body, or a constructor's
/// initializers (a default argument, by contrast, is the caller's code).
static bool runsCode(const FunctionDecl *F, SourceLocation Loc, const SourceManager &SM) {
  if (const Stmt *Body = F->getBody(); Body && rangeContains(fileRange(Body->getSourceRange(), SM), Loc, SM))
    return true;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(F))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && rangeContains(fileRange(Init->getSourceRange(), SM), Loc, SM))
        return true;
  return false;
}

void NullCheck::checkCall(const Expr *E, const FunctionDecl *Encl, bool NoFix,
                          ASTContext &Ctx) {
  const FunctionDecl *Fn = nullptr;
  llvm::SmallVector<const Expr *, 8> Args;
  const FunctionProtoType *Proto = nullptr;
  unsigned Skip = 0;

  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (Call->containsErrors() || Call->isTypeDependent())
      return;
    Fn = Call->getDirectCallee();
    // A member operator's first argument is the object, not the first
    // parameter (staticcheck's SA1012 once mixed these up for method
    // expressions).
    if (isa<CXXOperatorCallExpr>(Call))
      if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(Fn); M && M->isInstance())
        Skip = 1;
    if (!Fn) {
      // Calls through function pointers, references and member pointers:
      // the prototype still names the parameter types.
      QualType CalleeT = Call->getCallee()->IgnoreParens()->getType();
      if (const auto *PT = CalleeT->getAs<PointerType>())
        CalleeT = PT->getPointeeType();
      else if (const auto *MPT = CalleeT->getAs<MemberPointerType>())
        CalleeT = MPT->getPointeeType();
      Proto = CalleeT->getAs<FunctionProtoType>();
      if (!Proto && Call->getCallee()->getType()->isSpecificBuiltinType(BuiltinType::BoundMember))
        if (const auto *BO = dyn_cast<BinaryOperator>(Call->getCallee()->IgnoreParens()))
          if (const auto *MPT = BO->getRHS()->getType()->getAs<MemberPointerType>())
            Proto = MPT->getPointeeType()->getAs<FunctionProtoType>();
      if (!Proto)
        return;
    }
    for (const Expr *A : Call->arguments())
      Args.push_back(A);
  } else if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    if (Construct->containsErrors() || Construct->isTypeDependent())
      return;
    Fn = Construct->getConstructor();
    // Building a context from a context is how a null context is spelled
    // (`Context(Context())`), not a call that receives one.
    if (!Fn || Types.isContext(Construct->getType()))
      return;
    for (const Expr *A : Construct->arguments())
      Args.push_back(A);
  } else {
    return;
  }

  unsigned NumParams = Fn ? Fn->getNumParams() : Proto->getNumParams();
  for (unsigned I = Skip; I < Args.size(); ++I) {
    unsigned PI = I - Skip;
    if (PI >= NumParams)
      break;
    const ParmVarDecl *Param = Fn ? Fn->getParamDecl(PI) : nullptr;
    QualType PT = Fn ? Param->getType() : Proto->getParamType(PI);
    checkArgument(Args[I], PT, Param, PI, Fn, Encl, NoFix, Ctx);
  }
}

void NullCheck::checkArgument(const Expr *Arg, QualType ParamType, const ParmVarDecl *Param,
                              unsigned Index, const NamedDecl *Callee, const FunctionDecl *Encl,
                              bool NoFix, ASTContext &Ctx) {
  // A defaulted argument is the callee's choice, not a null the caller
  // wrote.
  if (!Arg || isa<CXXDefaultArgExpr>(Arg) || ParamType.isNull() || ParamType->isDependentType())
    return;
  bool IsPointer = false;
  if (Types.isContextOrRef(ParamType)) {
    if (!isNullContext(Arg, Ctx))
      return;
  } else if (Types.isContextOrRefOrPtr(ParamType)) {
    IsPointer = true;
    if (Arg->isValueDependent())
      return;
    // `{}` value-initialises the pointer: null too.
    const auto *ILE = dyn_cast<InitListExpr>(stripToWritten(Arg));
    if (!(ILE && ILE->getNumInits() == 0) &&
        Arg->IgnoreParenImpCasts()->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) ==
            Expr::NPCK_NotNull)
      return;
  } else {
    return;
  }

  const SourceManager &SM = Ctx.getSourceManager();
  // `NULL` is spelled in a system header; report where the user wrote it.
  SourceLocation Loc = SM.getFileLoc(Arg->getBeginLoc());
  // Each instantiation of a template repeats the pattern's locations; two
  // arguments in one macro expansion have different (macro) locations.
  if (Loc.isInvalid() || !Reported.insert(Arg->getBeginLoc()).second)
    return;
  const LangOptions &LO = Ctx.getLangOpts();
  CharSourceRange Range =
      Lexer::makeFileCharRange(CharSourceRange::getTokenRange(Arg->getSourceRange()), SM, LO);
  std::string Spelled = Range.isValid() ? Lexer::getSourceText(Range, SM, LO).str()
                                        : spelledInMacroBody(Arg->getSourceRange(), SM, LO);

  std::string ParamName =
      Param && !Param->getName().empty() ? "'" + Param->getName().str() + "'"
                                         : std::to_string(Index + 1);
  std::string CalleeName = Callee ? "'" + Callee->getQualifiedNameAsString() + "'"
                                  : std::string("the called function");
  // A lambda's qualified name spells its closure type; say what it is.
  if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(Callee); M && M->getParent()->isLambda())
    CalleeName = "the lambda";
  auto Diag = diag(Loc, IsPointer
                            ? "null pointer '%0' passed for context parameter %1 of %2; pass a "
                              "pointer to a real context"
                            : "null context '%0' passed for parameter %1 of %2; pass the "
                              "caller's context, or '%3()' if there is none yet")
              << Spelled << ParamName << CalleeName << TodoFunction;

  // A pointer parameter gets no fix: which context to point at, and whether
  // it outlives the callee's use, is the caller's decision.
  if (IsPointer || Range.isInvalid())
    return;
  // A default argument is evaluated in each caller: neither the function's
  // own parameters nor anything else is known to be in scope there. Nor
  // are they in the rest of the function's signature (a noexcept or
  // requires clause).
  if (NoFix || (Encl && !runsCode(Encl, SM.getExpansionLoc(Arg->getBeginLoc()), SM)))
    return;
  QualType Want = ParamType.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  std::string Replacement;
  if (Encl) {
    // The first context parameter of the parameter's type; when there are
    // several, the first is the conventional "caller's context".
    for (const ParmVarDecl *P : contextParams(Encl, Types)) {
      if (P->getName().empty())
        continue;
      if (P->getType().getNonReferenceType().getCanonicalType().getUnqualifiedType() == Want) {
        Replacement = P->getName().str();
        break;
      }
    }
    // A named parameter is an lvalue: it cannot bind to an rvalue
    // reference (`Context &&`), and no other context in scope is meant.
    if (!Replacement.empty() &&
        isRValueOnlyParameter(dyn_cast_or_null<FunctionDecl>(Callee), Index, ParamType))
      return;
  }
  // ctx::todo() returns a ctx::Context; for another configured context type
  // there is nothing safe to offer.
  if (Replacement.empty()) {
    const auto *RD = Want->getAsCXXRecordDecl();
    if (!RD || RD->getQualifiedNameAsString() != "ctx::Context" || TodoFunction.empty())
      return;
    Replacement = TodoFunction + "()";
  }
  Diag << FixItHint::CreateReplacement(Range, Replacement);
}

} // namespace ctx::tidy
