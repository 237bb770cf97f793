//===- ContextTypes.cpp ---------------------------------------------------===//

#include "ContextTypes.h"
#include "CheckUtils.h"
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

/// The class or class template an alias-like declaration stands for, if any.
static const Decl *aliasedClass(const NamedDecl *D) {
  D = D->getUnderlyingDecl(); // through using-declarations
  if (isa<CXXRecordDecl, ClassTemplateDecl>(D))
    return D->getCanonicalDecl();
  QualType T;
  if (const auto *TD = dyn_cast<TypedefNameDecl>(D))
    T = TD->getUnderlyingType();
  else if (const auto *AT = dyn_cast<TypeAliasTemplateDecl>(D))
    T = AT->getTemplatedDecl()->getUnderlyingType();
  if (T.isNull())
    return nullptr;
  // An alias template of a class template (`template <class T> using C =
  // Basic<T>`) stands for the class template.
  if (const auto *TST = T->getAs<TemplateSpecializationType>(); TST && T->isDependentType())
    if (const auto *CT = dyn_cast_or_null<ClassTemplateDecl>(
            TST->getTemplateName().getAsTemplateDecl()))
      return CT->getCanonicalDecl();
  if (const auto *RD = T.getCanonicalType()->getAsCXXRecordDecl())
    return RD->getCanonicalDecl();
  return nullptr;
}

void ContextTypeSet::resolve(ASTContext &Ctx) const {
  ResolvedFor = &Ctx;
  Aliased.clear();
  Derived.clear();
  for (const std::string &Name : Names) {
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(Name).split(Parts, "::");
    if (llvm::is_contained(Parts, ""))
      continue; // not a qualified name
    const DeclContext *DC = Ctx.getTranslationUnitDecl();
    for (size_t I = 0; DC && I < Parts.size(); ++I) {
      auto Found = DC->lookup(DeclarationName(&Ctx.Idents.get(Parts[I])));
      const DeclContext *Next = nullptr;
      for (const NamedDecl *ND : Found) {
        if (I + 1 == Parts.size()) {
          if (const Decl *C = aliasedClass(ND))
            Aliased.insert(C);
          continue;
        }
        const NamedDecl *U = ND->getUnderlyingDecl();
        if (const auto *NA = dyn_cast<NamespaceAliasDecl>(U))
          U = NA->getNamespace();
        if (const auto *NS = dyn_cast_or_null<NamespaceDecl>(U))
          Next = NS;
        else if (const auto *RD = dyn_cast_or_null<CXXRecordDecl>(U); RD && RD->getDefinition())
          Next = RD->getDefinition();
        if (Next)
          break;
      }
      DC = Next;
    }
  }
}

bool ContextTypeSet::isContextDecl(const NamedDecl *D) const {
  if (!D)
    return false;
  if (ResolvedFor != &D->getASTContext())
    resolve(D->getASTContext());
  if (isListedDecl(D))
    return true;
  // A class publicly derived from a listed one is a context too
  // (`::grpc::ServerContextBase` covers `grpc::ServerContext`).
  const auto *RD = dyn_cast<CXXRecordDecl>(D);
  if (!RD || !RD->hasDefinition() || RD->getNumBases() == 0)
    return false;
  auto [It, New] = Derived.try_emplace(RD->getCanonicalDecl(), false);
  if (!New)
    return It->second;
  bool Result = classOrBaseMatches(RD, /*PublicOnly=*/true,
                                   [&](const CXXRecordDecl *C, QualType) {
                                     return C != RD && isListedDecl(C);
                                   });
  Derived[RD->getCanonicalDecl()] = Result;
  return Result;
}

bool ContextTypeSet::isListedDecl(const NamedDecl *D) const {
  if (!Aliased.empty() && Aliased.count(D->getCanonicalDecl()))
    return true;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    D = Spec->getSpecializedTemplate();
    if (!Aliased.empty() && Aliased.count(D->getCanonicalDecl()))
      return true;
  }
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

/// How many leading type arguments of a standard class template it stores
/// (by value, or behind a pointer it owns or refers to): containers,
/// wrappers, smart pointers, views. Any other template, e.g. a function
/// object (`std::less<T>`, `std::hash<T>`), an allocator, a trait or
/// `std::function`, holds none of its arguments.
static unsigned storedArguments(llvm::StringRef Name) {
  static const std::pair<llvm::StringLiteral, unsigned> Table[] = {
      {"optional", 1},      {"shared_ptr", 1},   {"unique_ptr", 1},
      {"weak_ptr", 1},      {"reference_wrapper", 1},
      {"vector", 1},        {"deque", 1},        {"list", 1},
      {"forward_list", 1},  {"array", 1},        {"valarray", 1},
      {"span", 1},          {"atomic", 1},       {"future", 1},
      {"shared_future", 1}, {"promise", 1},
      {"set", 1},           {"multiset", 1},     {"unordered_set", 1},
      {"unordered_multiset", 1}, {"flat_set", 1}, {"flat_multiset", 1},
      // Key and value.
      {"map", 2},           {"multimap", 2},     {"unordered_map", 2},
      {"unordered_multimap", 2}, {"flat_map", 2}, {"flat_multimap", 2},
      // The element type and the underlying container.
      {"queue", 2},         {"stack", 2},        {"priority_queue", 2},
      {"expected", 2},
      {"pair", ~0u},        {"tuple", ~0u},      {"variant", ~0u},
  };
  for (const auto &[N, Count] : Table)
    if (N == Name)
      return Count;
  return 0;
}

bool ContextTypeSet::holdsContext(QualType T, QualType &Found, unsigned Depth) const {
  // Deep enough for any real wrapper nesting; guards against pathological
  // template recursion.
  if (T.isNull() || Depth > 16)
    return false;
  T = T.getCanonicalType();
  if (T->isDependentType() && !T->getAs<InjectedClassNameType>())
    return false;
  // References, pointers and arrays all keep a context alive (or dangling)
  // in the object just the same.
  while (true) {
    if (const auto *RT = T->getAs<ReferenceType>())
      T = RT->getPointeeType().getCanonicalType();
    else if (const auto *PT = T->getAs<PointerType>())
      T = PT->getPointeeType().getCanonicalType();
    else if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
      T = AT->getElementType().getCanonicalType();
    else
      break;
  }
  if (isContext(T)) {
    Found = T.getUnqualifiedType();
    return true;
  }
  const auto *RD = T->getAsCXXRecordDecl();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD);
  // Only the standard library's wrappers and containers are looked into,
  // and only the arguments they store: a user's class template is checked
  // where it stores its members, and std::function<void(Context)> or
  // std::less<Context> holds no context.
  if (!Spec || !Spec->isInStdNamespace() || !Spec->getIdentifier())
    return false;
  unsigned Stored = storedArguments(Spec->getName());
  unsigned Index = 0;
  for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray()) {
    if (Index >= Stored)
      break;
    if (Arg.getKind() == TemplateArgument::Type) {
      if (holdsContext(Arg.getAsType(), Found, Depth + 1))
        return true;
    } else if (Arg.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument &P : Arg.pack_elements())
        if (P.getKind() == TemplateArgument::Type &&
            holdsContext(P.getAsType(), Found, Depth + 1))
          return true;
    }
    ++Index;
  }
  return false;
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
