//===- ContextTypes.cpp ---------------------------------------------------===//

#include "ContextTypes.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

std::vector<std::string> parseList(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::vector<std::string> Out;
  for (llvm::StringRef P : Parts)
    if (!(P = P.trim()).empty())
      Out.push_back(P.str());
  return Out;
}

std::string joinList(const std::vector<std::string> &Items) {
  return llvm::join(Items, ";");
}

ContextTypeSet::ContextTypeSet(const clang::tidy::ClangTidyCheck::OptionsView &Options)
    : ContextTypeSet(Options.getLocalOrGlobal("ContextTypes", DefaultContextTypes)) {}

ContextTypeSet::ContextTypeSet(llvm::StringRef OptionValue) : Raw(OptionValue.str()) {
  for (std::string &N : parseList(OptionValue)) {
    llvm::StringRef Name(N);
    Name.consume_front("::");
    Names.push_back(Name.str());
    ShortNames.push_back(Name.rsplit("::").second.empty() ? Name.str()
                                                          : Name.rsplit("::").second.str());
  }
}

bool ContextTypeSet::isContextDecl(const NamedDecl *D) const {
  if (!D)
    return false;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D))
    D = Spec->getSpecializedTemplate();
  const IdentifierInfo *II = D->getIdentifier();
  if (!II)
    return false;
  llvm::StringRef Short = II->getName();
  for (size_t I = 0; I < Names.size(); ++I)
    if (ShortNames[I] == Short && D->getQualifiedNameAsString() == Names[I])
      return true;
  return false;
}

bool ContextTypeSet::isContext(QualType T) const {
  if (T.isNull())
    return false;
  T = T.getCanonicalType();
  if (T->isDependentType() && !T->getAs<InjectedClassNameType>())
    return false;
  if (const auto *RT = T->getAs<RecordType>())
    return isContextDecl(RT->getDecl());
  return false;
}

bool ContextTypeSet::isContextOrRef(QualType T) const {
  if (T.isNull())
    return false;
  return isContext(T.getNonReferenceType());
}

bool ContextTypeSet::isContextOrRefOrPtr(QualType T) const {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType().getCanonicalType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return isContext(T);
}

internal::Matcher<NamedDecl> ContextTypeSet::declMatcher() const {
  std::vector<llvm::StringRef> Refs(Names.begin(), Names.end());
  return hasAnyName(Refs);
}

internal::Matcher<QualType> ContextTypeSet::typeMatcher() const {
  return hasCanonicalType(hasDeclaration(namedDecl(declMatcher())));
}

llvm::SmallVector<const ParmVarDecl *, 2>
contextParams(const FunctionDecl *F, const ContextTypeSet &Types) {
  llvm::SmallVector<const ParmVarDecl *, 2> Out;
  if (!F)
    return Out;
  for (const ParmVarDecl *P : F->parameters())
    if (Types.isContextOrRef(P->getType()))
      Out.push_back(P);
  return Out;
}

} // namespace ctx::tidy
