//===- FirstParameterCheck.cpp - context-first-parameter ------------------===//

#include "FirstParameterCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Attr.h"
#include "clang/AST/PrettyPrinter.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

/// A spelling of a type that compares equal however the user spaced it and
/// whether or not names start with "::": whitespace dropped, and "::" removed
/// where it begins a qualified name.
static std::string normalizeTypeName(llvm::StringRef S) {
  auto IsIdent = [](char C) { return isalnum(static_cast<unsigned char>(C)) || C == '_'; };
  std::string Out;
  bool PendingSpace = false;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    if (isspace(static_cast<unsigned char>(C))) {
      PendingSpace = true;
      continue;
    }
    char Prev = Out.empty() ? ' ' : Out.back();
    // "::" starting a name (not after an identifier or a template's '>').
    if (C == ':' && I + 1 < S.size() && S[I + 1] == ':' &&
        (PendingSpace || !(IsIdent(Prev) || Prev == '>'))) {
      ++I;
      continue;
    }
    // Keep one separator between two identifiers ("const T"), drop others.
    if (PendingSpace && IsIdent(C) && IsIdent(Prev))
      Out.push_back(' ');
    PendingSpace = false;
    Out.push_back(C);
  }
  return Out;
}

FirstParameterCheck::FirstParameterCheck(llvm::StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : WalkingCheck(Name, Context), Types(Options),
      AllowedTypesBeforeRaw(Options.get("AllowedTypesBefore", "").str()) {
  for (const std::string &T : parseList(AllowedTypesBeforeRaw))
    AllowedTypesBefore.push_back(normalizeTypeName(T));
}

void FirstParameterCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "AllowedTypesBefore", AllowedTypesBeforeRaw);
}

/// A context parameter somewhere after the first: the only functions worth
/// a closer look. A few type tests per function.
static bool hasLaterContextParam(const FunctionDecl &Node, const ContextTypeSet &Types) {
  for (unsigned I = 1, N = Node.getNumParams(); I < N; ++I)
    if (const ParmVarDecl *P = Node.getParamDecl(I);
        P && Types.isContextOrRefOrPtr(P->getType()))
      return true;
  return false;
}

/// The user's code. Instantiations are not walked: a template is reported
/// once, as written.
class FirstParameterCheck::Part : public WalkPart {
public:
  Part(FirstParameterCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnFunctionDecl}), Check(Check) {}

  void visitFunctionDecl(FunctionDecl *Fn) override {
    if (hasLaterContextParam(*Fn, Check.Types) && !Fn->isImplicit() &&
        !isa<CXXDeductionGuideDecl>(Fn) && !inSystemHeader(Fn->getBeginLoc()))
      Check.checkFunction(Fn, Ctx);
  }

private:
  FirstParameterCheck &Check;
};

std::unique_ptr<WalkPart> FirstParameterCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
}

bool FirstParameterCheck::isAllowedBefore(QualType T, const ASTContext &Ctx) const {
  if (AllowedTypesBefore.empty())
    return false;
  PrintingPolicy Policy(Ctx.getLangOpts());
  Policy.SuppressTagKeyword = true;
  Policy.FullyQualifiedName = true;
  Policy.SuppressScope = false;
  auto Listed = [&](QualType Q) {
    return llvm::is_contained(AllowedTypesBefore, normalizeTypeName(Q.getAsString(Policy)));
  };
  // The type as declared, and the same without reference and top-level
  // const, so that "::testing::Test" also admits `const testing::Test &`.
  // Each is compared at every level of sugar, so that an alias listed by
  // its own name (`::std::string`, `std::uint64_t`) matches where it is
  // written, and last as its canonical type.
  QualType Bare = T.getNonReferenceType().getUnqualifiedType();
  for (QualType Start : {T, Bare}) {
    QualType Cur = Start;
    for (unsigned Depth = 0; Depth < 16; ++Depth) {
      if (Listed(Cur))
        return true;
      QualType Next = Cur.getSingleStepDesugaredType(Ctx);
      if (Next == Cur)
        break;
      Cur = Next;
    }
    if (Listed(Start.getCanonicalType()))
      return true;
  }
  // A class named as a user writes it (a function's local class as
  // `ns::function::Local`), or derived from a listed class in the same form
  // (`::grpc::Service *` covers every generated service).
  QualType Pointee = Bare;
  bool Ptr = false;
  if (const auto *PT = Bare->getAs<PointerType>())
    Pointee = PT->getPointeeType(), Ptr = true;
  auto Form = [&](const std::string &Name, bool Const) {
    return normalizeTypeName((Const ? "const " : "") + Name + (Ptr ? " *" : ""));
  };
  bool Const = Pointee.isConstQualified();
  return classOrBaseMatches(
      Pointee->getAsCXXRecordDecl(), /*PublicOnly=*/false,
      [&](const CXXRecordDecl *C, QualType AsBase) {
        llvm::SmallVector<std::string, 3> Names{scopedName(C)};
        if (!AsBase.isNull()) {
          Names.push_back(C->getQualifiedNameAsString());
          Names.push_back(AsBase.getCanonicalType().getUnqualifiedType().getAsString(Policy));
        }
        for (const std::string &N : Names)
          if (llvm::is_contained(AllowedTypesBefore, Form(N, Const)) ||
              (Const && llvm::is_contained(AllowedTypesBefore, Form(N, false))))
            return true;
        return false;
      });
}

void FirstParameterCheck::checkFunction(const FunctionDecl *Fn, ASTContext &Ctx) {
  if (Fn->isInvalidDecl() || Fn->getNumParams() < 2)
    return;
  // One warning per function: on its first declaration.
  if (Fn->getPreviousDecl())
    return;
  // Operators have their parameter order fixed by the language; only the
  // call operator is a function a user designs.
  if (Fn->isOverloadedOperator() && Fn->getOverloadedOperator() != OO_Call)
    return;
  // An override cannot change its parameters; the base is the one to fix.
  // Against a dependent base nothing is known to be overridden yet, but a
  // method marked `override`, or `final` without introducing the virtual
  // function itself, says so.
  if (const auto *M = dyn_cast<CXXMethodDecl>(Fn)) {
    if (M->size_overridden_methods() > 0 || M->hasAttr<OverrideAttr>())
      return;
    if (M->hasAttr<FinalAttr>() &&
        !(M->isVirtualAsWritten() && !M->getParent()->hasAnyDependentBases()))
      return;
  }
  // Report on the template, not on each instantiation, nor on an explicit
  // specialization of a function or member function (its parameters are
  // the template's).
  if (isInInstantiation(Fn) || Fn->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
    return;

  const ParmVarDecl *FirstOther = nullptr;
  for (const ParmVarDecl *P : Fn->parameters()) {
    if (!P || P->isInvalidDecl())
      return;
    // An explicit object parameter (`this Self &self`) must come first: it
    // is not a parameter the context could precede.
    if (P->isExplicitObjectParameter())
      continue;
    QualType T = P->getType();
    if (Types.isContextOrRefOrPtr(T)) {
      if (!FirstOther)
        continue;
      auto Describe = [](const ParmVarDecl *D) {
        return D->getName().empty()
                   ? "parameter " + std::to_string(D->getFunctionScopeIndex() + 1)
                   : "'" + D->getName().str() + "'";
      };
      std::string Where;
      if (const auto *M = dyn_cast<CXXMethodDecl>(Fn); M && M->getParent()->isLambda())
        Where = "the lambda";
      else
        Where = "'" + Fn->getQualifiedNameAsString() + "'";
      diag(P->getLocation().isValid() ? P->getLocation() : P->getBeginLoc(),
           "context %0 of type %1 is not the first parameter of %2; move it before %3")
          << Describe(P) << T << Where << Describe(FirstOther);
      return;
    }
    if (!FirstOther && !isAllowedBefore(T, Ctx))
      FirstOther = P;
  }
}

} // namespace ctx::tidy
