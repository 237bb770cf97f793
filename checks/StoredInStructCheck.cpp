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

void StoredInStructCheck::registerMatchers(MatchFinder *Finder) {
  // Everything else is decided in check(): the type walk is cheaper than a
  // matcher for "holds a context at any depth", and fields are few.
  Finder->addMatcher(fieldDecl(unless(isExpansionInSystemHeader()), unless(isImplicit()))
                         .bind("field"),
                     this);
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
  // Only the standard library's wrappers and containers are looked into:
  // a user's class template is checked where it stores its members, and
  // std::function<void(Context)> holds no context (function types are not
  // walked).
  if (!Spec || !Spec->isInStdNamespace())
    return false;
  for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray()) {
    if (Arg.getKind() == TemplateArgument::Type) {
      if (holdsContext(Arg.getAsType(), Found, Depth + 1))
        return true;
    } else if (Arg.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument &P : Arg.pack_elements())
        if (P.getKind() == TemplateArgument::Type &&
            holdsContext(P.getAsType(), Found, Depth + 1))
          return true;
    }
  }
  return false;
}

void StoredInStructCheck::check(const MatchFinder::MatchResult &Result) {
  if (hasCompileErrors(*Result.Context))
    return;
  const auto *Field = Result.Nodes.getNodeAs<FieldDecl>("field");
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

  // A class on the allow-list may hold a context, and so may the anonymous
  // structs and unions nested in it.
  for (const DeclContext *DC = Parent; DC; DC = DC->getParent()) {
    const auto *RD = dyn_cast<RecordDecl>(DC);
    if (!RD)
      break;
    if (RD->getIdentifier() && AllowedClasses.matches(RD->getQualifiedNameAsString()))
      return;
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
