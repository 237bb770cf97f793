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
    : WalkingCheck(Name, Context), Types(Options),
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
class StoredInStructCheck::Part : public WalkPart {
public:
  Part(StoredInStructCheck &Check, const UserCodeWalk &Walk)
      : WalkPart(Walk, {OnFieldDecl}), Check(Check) {}

  // Everything else is decided in checkField(): the type walk is cheaper
  // than a matcher for "holds a context at any depth", and fields are few.
  void visitFieldDecl(FieldDecl *Field) override {
    if (!Field->isImplicit() && !inSystemHeader(Field->getBeginLoc()))
      Check.checkField(Field);
  }

private:
  StoredInStructCheck &Check;
};

std::unique_ptr<WalkPart> StoredInStructCheck::makePart(const UserCodeWalk &Walk) {
  return std::make_unique<Part>(*this, Walk);
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
  if (!Types.holdsContext(Field->getType(), Found))
    return;

  // A class on the allow-list (or derived from one) may hold a context, and
  // so may an implementation of a context (derived from ctx::ContextImpl: it
  // holds its parent), and the unnamed structs and unions nested in either
  // (they are parts of it). A named nested class is a class of its own: the
  // search stops there.
  for (const DeclContext *DC = Parent; DC; DC = DC->getParent()) {
    const auto *RD = dyn_cast<RecordDecl>(DC);
    if (!RD)
      break;
    const NamedDecl *Named =
        RD->getIdentifier() ? static_cast<const NamedDecl *>(RD) : RD->getTypedefNameForAnonDecl();
    if (!Named)
      continue;
    if (AllowedClasses.matches(scopedName(Named)) ||
        AllowedClasses.matches(Named->getQualifiedNameAsString()))
      return;
    if (classOrBaseMatches(dyn_cast<CXXRecordDecl>(RD), /*PublicOnly=*/false,
                           [&](const CXXRecordDecl *C, QualType AsBase) {
                             if (AsBase.isNull())
                               return false; // RD itself: matched above
                             std::string Q = C->getQualifiedNameAsString();
                             return Q == "ctx::ContextImpl" || AllowedClasses.matches(Q) ||
                                    AllowedClasses.matches(scopedName(C));
                           }))
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
