//===- StoredInStructCheck.cpp - context-stored-in-struct -----------------===//

#include "StoredInStructCheck.h"
#include "CheckUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace ctx::tidy {

StoredInStructCheck::StoredInStructCheck(llvm::StringRef Name,
                                         clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Types(Options),
      AllowedClassesRaw(Options.get("AllowedClasses", "").str()),
      AllowedClasses(AllowedClassesRaw) {
  for (const auto &[Item, Error] : AllowedClasses.invalid())
    configurationDiag("invalid regular expression in option 'AllowedClasses' ('%0'): %1")
        << Item << Error;
}

void StoredInStructCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ContextTypes", Types.optionValue());
  Options.store(Opts, "AllowedClasses", AllowedClassesRaw);
}

/// The user's code. Instantiations are not walked: a template is reported
/// once, as written.
class StoredInStructCheck::Visitor : public UserCodeVisitor<StoredInStructCheck::Visitor> {
public:
  Visitor(StoredInStructCheck &Check, ASTContext &Ctx) : UserCodeVisitor(Ctx), Check(Check) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  // Everything else is decided in checkField(): the type walk is cheaper
  // than a matcher for "holds a context at any depth", and fields are few.
  bool VisitFieldDecl(FieldDecl *Field) {
    if (!Field->isImplicit() && !inSystemHeader(Field->getBeginLoc()))
      Check.checkField(Field);
    return true;
  }

private:
  StoredInStructCheck &Check;
};

void StoredInStructCheck::registerMatchers(MatchFinder *Finder) {
  // One match: the check walks the user's code itself (see UserCodeVisitor).
  Finder->addMatcher(translationUnitDecl(), this);
}

void StoredInStructCheck::check(const MatchFinder::MatchResult &Result) {
  if (hasCompileErrors(*Result.Context))
    return;
  Visitor(*this, *Result.Context).traverseTranslationUnit();
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

bool StoredInStructCheck::holdsContext(QualType T, QualType &Found, unsigned Depth) const {
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
  if (Types.isContext(T)) {
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

void StoredInStructCheck::checkField(const FieldDecl *Field) {
  if (Field->isInvalidDecl() || Field->getLocation().isInvalid())
    return;
  // Objective-C instance variables are FieldDecls of an @interface, not of a
  // record (getParent() would not hold); the contract covers C++ classes.
  const auto *Parent = dyn_cast<RecordDecl>(Field->getDeclContext());
  if (!Parent)
    return;
  // A lambda's captures are fields of its closure type, but nobody wrote
  // that struct; capturing a context for the lambda's own call is fine.
  if (const auto *CXXParent = dyn_cast<CXXRecordDecl>(Parent))
    if (CXXParent->isLambda())
      return;
  // One report per template: the pattern's field, not each instantiation's.
  if (isInInstantiation(Parent))
    return;

  QualType Found;
  if (!holdsContext(Field->getType(), Found, 0))
    return;

  // A class on the allow-list may hold a context, and so may the unnamed
  // structs and unions nested in it (they are parts of it). A named nested
  // class is a class of its own: the search stops there.
  for (const DeclContext *DC = Parent; DC; DC = DC->getParent()) {
    const auto *RD = dyn_cast<RecordDecl>(DC);
    if (!RD)
      break;
    const NamedDecl *Named =
        RD->getIdentifier() ? static_cast<const NamedDecl *>(RD) : RD->getTypedefNameForAnonDecl();
    if (!Named)
      continue;
    if (AllowedClasses.matches(Named->getQualifiedNameAsString()))
      return;
    break;
  }

  QualType Written = Field->getType();
  diag(Field->getLocation(),
       "member %0 stores a context in a field of type %1; pass the context "
       "as the first parameter of the functions that need it instead")
      << Field << Written;
  if (Written.getCanonicalType().getUnqualifiedType() != Found)
    diag(Field->getLocation(), "the context type it holds is %0", DiagnosticIDs::Note) << Found;
}

} // namespace ctx::tidy
