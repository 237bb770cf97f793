//===- ContextTypes.h - Recognising context types for the context-* checks -===//
//
// Every check recognises "a context" the same way: by the canonical type's
// declaration, compared against the qualified names of option `ContextTypes`
// (semicolon-separated, default "::ctx::Context"). Spelling never matters:
// typedefs, `using`, template parameters and elaborated names all resolve to
// the same canonical record. A listed name may itself be an alias
// (`grpc::ServerContext` as a typedef of `impl::ServerContext`): it is looked
// up in the translation unit and stands for the class it denotes.
//
//===----------------------------------------------------------------------===//
#ifndef CTX_CHECKS_CONTEXTTYPES_H
#define CTX_CHECKS_CONTEXTTYPES_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/Type.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace ctx::tidy {

/// Default of the `ContextTypes` option.
inline constexpr llvm::StringRef DefaultContextTypes = "::ctx::Context";

/// Splits a semicolon-separated option value into trimmed, non-empty items.
std::vector<std::string> parseList(llvm::StringRef Value);
/// Joins items back into the form parseList reads.
std::string joinList(const std::vector<std::string> &Items);

/// The set of context types configured for one check.
class ContextTypeSet {
public:
  /// Reads `ContextTypes` with clang-tidy's local-or-global lookup.
  explicit ContextTypeSet(const clang::tidy::ClangTidyCheck::OptionsView &Options);
  explicit ContextTypeSet(llvm::StringRef OptionValue);

  /// For storeOptions: the value as configured.
  const std::string &optionValue() const { return Raw; }

  /// Forgets what the names resolved to in the previous translation unit
  /// (for onStartOfTranslationUnit).
  void reset() const { ResolvedFor = nullptr; }

  /// Whether the declaration is one of the configured context classes (for a
  /// class template specialization, its template is compared), or a class
  /// publicly derived from one, at any depth.
  bool isContextDecl(const clang::NamedDecl *D) const;
  /// Whether the type, after canonicalisation and dropping cv-qualifiers, is a
  /// context class. References and pointers are not looked through.
  bool isContext(clang::QualType T) const;
  /// Whether the type is a context, a reference to one, or a pointer to one
  /// (one level, cv-qualifiers ignored): the forms of a "context parameter".
  bool isContextOrRefOrPtr(clang::QualType T) const;
  /// Like isContextOrRefOrPtr, but pointers are not looked through.
  bool isContextOrRef(clang::QualType T) const;

  /// Whether T holds a context: the context itself, a reference or pointer
  /// to it, an array of it, or a standard library class template that
  /// stores such an argument (optional, smart pointers, containers, pair,
  /// tuple, variant, ...; not std::less, std::hash or std::function), at any
  /// depth. The context type found goes to Found. The one definition used by
  /// context-stored-in-struct and context-stored-in-global.
  bool holdsContext(clang::QualType T, clang::QualType &Found, unsigned Depth = 0) const;

  /// A matcher for declarations named like a configured context class; for
  /// building AST matchers (it is an over-approximation for specializations;
  /// confirm with isContextDecl where that matters).
  clang::ast_matchers::internal::Matcher<clang::NamedDecl> declMatcher() const;
  /// A matcher for types whose canonical type is a context class.
  clang::ast_matchers::internal::Matcher<clang::QualType> typeMatcher() const;

private:
  /// Looks the configured names up in Ctx's translation unit, once per
  /// translation unit: those that name an alias (typedef, `using`, alias
  /// template, using-declaration) add the class or class template behind it.
  void resolve(clang::ASTContext &Ctx) const;

  /// Whether D itself is listed (by name or through an alias).
  bool isListedDecl(const clang::NamedDecl *D) const;

  std::string Raw;
  /// Qualified names without the leading "::".
  std::vector<std::string> Names;
  /// The last component of each name, for a cheap first comparison.
  std::vector<std::string> ShortNames;
  /// The translation unit the aliases were resolved in, and the canonical
  /// declarations (classes, class templates) the aliases denote there.
  mutable const clang::ASTContext *ResolvedFor = nullptr;
  mutable llvm::SmallPtrSet<const clang::Decl *, 4> Aliased;
  /// Classes with bases already asked about in this translation unit.
  mutable llvm::DenseMap<const clang::Decl *, bool> Derived;
};

/// The parameters of F whose type is a context or a reference to one (not a
/// pointer): the ones an expression can name in place of a context value.
llvm::SmallVector<const clang::ParmVarDecl *, 2>
contextParams(const clang::FunctionDecl *F, const ContextTypeSet &Types);

} // namespace ctx::tidy

#endif // CTX_CHECKS_CONTEXTTYPES_H
