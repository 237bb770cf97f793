//===- NotPassedCheck.cpp - context-not-passed ----------------------------===//

#include "NotPassedCheck.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

NotPassedCheck::NotPassedCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      SuffixesOption(Options.get("ContextSuffixes", "Context;WithContext").str()),
      Suffixes(parseList(SuffixesOption)),
      AllowedFunctionsOption(Options.get("AllowedFunctions", "").str()),
      AllowedFunctions(AllowedFunctionsOption) {
  for (const auto &[Item, Error] : AllowedFunctions.invalid())
    configurationDiag("invalid regular expression in option 'AllowedFunctions' ('%0'): %1")
        << Item << Error;
}

void NotPassedCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "ContextSuffixes", SuffixesOption);
  Options.store(Opts, "AllowedFunctions", AllowedFunctionsOption);
}

/// A parameter's type as the contract compares them: without references
/// and top-level const.
static QualType comparable(QualType T) {
  return T.getNonReferenceType().getCanonicalType().getUnqualifiedType();
}

/// Whether V takes a context first and then exactly F's parameters.
static bool isVariant(const FunctionDecl *V, const FunctionDecl *F, const ContextTypeSet &Types) {
  if (V->getNumParams() != F->getNumParams() + 1 || V->isVariadic() != F->isVariadic() ||
      !Types.isContextOrRefOrPtr(V->getParamDecl(0)->getType()))
    return false;
  for (unsigned I = 0; I < F->getNumParams(); ++I)
    if (comparable(V->getParamDecl(I + 1)->getType()) != comparable(F->getParamDecl(I)->getType()))
      return false;
  return true;
}

const FunctionDecl *NotPassedCheck::variantOf(const FunctionDecl *F, ASTContext &Ctx) {
  F = F->getCanonicalDecl();
  auto [It, New] = Variants.try_emplace(F, nullptr);
  if (New)
    It->second = findVariant(F, Ctx);
  return It->second;
}

const FunctionDecl *NotPassedCheck::findVariant(const FunctionDecl *F, ASTContext &Ctx) {
  if (isa<CXXConstructorDecl, CXXDestructorDecl, CXXConversionDecl>(F) ||
      F->isOverloadedOperator() || !F->getIdentifier())
    return nullptr;
  for (const ParmVarDecl *P : F->parameters())
    if (Types.isContextOrRefOrPtr(P->getType()))
      return nullptr;
  // A specialization of a template compares as its template: variants that
  // are templates too compare their own patterns.
  const FunctionDecl *Pattern = F;
  if (const FunctionTemplateDecl *T = F->getPrimaryTemplate())
    Pattern = T->getTemplatedDecl();
  // The scopes name lookup finds the callee from: its namespace, or its
  // class and the bases.
  llvm::SmallVector<const DeclContext *, 4> Scopes;
  const DeclContext *DC = F->getDeclContext()->getRedeclContext();
  if (const auto *RD = dyn_cast<CXXRecordDecl>(DC)) {
    llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
    while (!Work.empty() && Scopes.size() < 32) {
      const CXXRecordDecl *C = Work.pop_back_val()->getDefinition();
      if (!C)
        continue;
      Scopes.push_back(C);
      for (const CXXBaseSpecifier &B : C->bases())
        if (const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl())
          Work.push_back(BD);
    }
  } else {
    Scopes.push_back(DC);
  }
  llvm::StringRef Name = F->getName();
  llvm::SmallVector<std::string, 3> Names{Name.str()};
  for (const std::string &S : Suffixes)
    Names.push_back((Name + S).str());
  for (const std::string &N : Names) {
    // Only names the translation unit has seen can name a variant.
    auto Id = Ctx.Idents.find(N);
    if (Id == Ctx.Idents.end())
      continue;
    DeclarationName DN(Id->getValue());
    for (const DeclContext *S : Scopes)
      for (const NamedDecl *ND : S->lookup(DN)) {
        const NamedDecl *D = ND->getUnderlyingDecl();
        const FunctionDecl *V = nullptr;
        if (const auto *T = dyn_cast<FunctionTemplateDecl>(D))
          V = Pattern != F ? T->getTemplatedDecl() : nullptr;
        else if (Pattern == F)
          V = dyn_cast<FunctionDecl>(D);
        if (V && isVariant(V, Pattern, Types))
          return V;
      }
  }
  return nullptr;
}

class NotPassedCheck::Part : public WalkPart {
public:
  Part(NotPassedCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnCallExpr, false, &Check.Types}), Check(Check) {}

  void visitCallExpr(CallExpr *Call) override {
    const ScopeFrame *Scope = contextInScope();
    if (!Scope || isa<CXXOperatorCallExpr, UserDefinedLiteral, CUDAKernelCallExpr>(Call))
      return;
    const FunctionDecl *Callee = Call->getDirectCallee();
    // Named directly: not through a pointer, std::function or a callable.
    const Expr *CalleeExpr = Call->getCallee()->IgnoreParenImpCasts();
    if (!Callee || !isa<DeclRefExpr, MemberExpr>(CalleeExpr))
      return;
    const FunctionDecl *Variant = Check.variantOf(Callee, Ctx);
    if (!Variant || inUnevaluatedOperand() || inSystemHeader(Call->getBeginLoc()))
      return;
    const ScopeFrame *Named = outermostCallable();
    const auto *Caller = Named ? dyn_cast_or_null<FunctionDecl>(Named->Callable) : nullptr;
    // The variant itself may call the context-free version (or itself).
    if (Caller && Caller->getCanonicalDecl() == Variant->getCanonicalDecl())
      return;
    if (!Check.AllowedFunctionsOption.empty() &&
        (Check.AllowedFunctions.matches(Callee->getQualifiedNameAsString()) ||
         (Caller && Check.AllowedFunctions.matches(Caller->getQualifiedNameAsString()))))
      return;
    Check.checkCall(Call, Variant, *Scope, Ctx);
  }

private:
  NotPassedCheck &Check;
};

std::unique_ptr<WalkPart> NotPassedCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

/// How a context C is written where parameter type P wants it: "c", "&c" or
/// "*c"; empty if it cannot be (another class, an rvalue-only parameter).
static std::string spellAs(const ValueDecl *C, QualType P, const ContextTypeSet &Types) {
  QualType CT = C->getType().getNonReferenceType().getCanonicalType();
  P = P.getCanonicalType();
  if (P->isRValueReferenceType())
    return "";
  bool CPtr = CT->isPointerType(), PPtr = P->isPointerType();
  QualType CClass = CPtr ? CT->getPointeeType() : CT;
  QualType PClass = PPtr ? P->getPointeeType() : P.getNonReferenceType();
  const CXXRecordDecl *CR = CClass->getAsCXXRecordDecl(), *PR = PClass->getAsCXXRecordDecl();
  if (!CR || !PR || !Types.isContext(PClass))
    return "";
  CR = CR->getDefinition();
  if (!CR || (CR->getCanonicalDecl() != PR->getCanonicalDecl() && !CR->isDerivedFrom(PR)))
    return "";
  // A const context does not bind where a mutable one is taken by reference
  // or pointer.
  if (CClass.isConstQualified() && (PPtr || P->isReferenceType()) && !PClass.isConstQualified())
    return "";
  std::string Name = C->getName().str();
  if (CPtr == PPtr)
    return Name;
  return (PPtr ? "&" : "*") + Name;
}

void NotPassedCheck::checkCall(const CallExpr *Call, const FunctionDecl *Variant,
                               const ScopeFrame &Scope, ASTContext &Ctx) {
  SourceLocation Loc = Call->getBeginLoc();
  if (Loc.isInvalid() || Call->containsErrors())
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  bool Renamed = Variant->getName() != Callee->getName();
  {
    const Expr *CalleeExpr = Call->getCallee()->IgnoreParenImpCasts();
    SourceLocation NameLoc;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(CalleeExpr))
      NameLoc = DRE->getNameInfo().getLoc();
    else if (const auto *ME = dyn_cast<MemberExpr>(CalleeExpr))
      NameLoc = ME->getMemberLoc();
    auto Diag = diag(NameLoc.isValid() ? NameLoc : Loc,
                     "'%0' is called without the context in scope, but %select{an overload of "
                     "it|'%2'}1 takes one; pass the context on")
                << Callee->getQualifiedNameAsString() << Renamed << Variant->getName();
    // The fix: exactly one context that the code can name.
    auto Candidates = nameableContexts(Scope, Types);
    unsigned Explicit = 0;
    for (const Expr *A : Call->arguments())
      Explicit += !isa<CXXDefaultArgExpr>(A);
    std::string Arg;
    // A same-named variant in a base is hidden by the callee: not callable
    // as written.
    bool Hidden = !Renamed && Variant->getDeclContext()->getRedeclContext() !=
                                  Callee->getDeclContext()->getRedeclContext();
    if (!Scope.Inherited && !Hidden && Candidates.size() == 1 &&
        !Candidates.front()->getName().empty() &&
        Variant->getMinRequiredArguments() <= Explicit + 1)
      Arg = spellAs(Candidates.front(), Variant->getParamDecl(0)->getType(), Types);
    SourceLocation At = Explicit ? Call->getArg(0)->getBeginLoc() : Call->getRParenLoc();
    if (!Arg.empty() && NameLoc.isValid() && !NameLoc.isMacroID() && At.isValid() &&
        !At.isMacroID() && !Loc.isMacroID()) {
      Diag << FixItHint::CreateInsertion(At, Explicit ? Arg + ", " : Arg);
      if (Renamed)
        Diag << FixItHint::CreateReplacement(CharSourceRange::getTokenRange(NameLoc, NameLoc),
                                             Variant->getName());
    }
  }
  diag(Variant->getFirstDecl()->getLocation(), "the variant that takes a context",
       DiagnosticIDs::Note);
}

} // namespace ctx::tidy
