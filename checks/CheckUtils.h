//===- CheckUtils.h - Small helpers shared by the context-* checks --------===//
#ifndef CTX_CHECKS_CHECKUTILS_H
#define CTX_CHECKS_CHECKUTILS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace ctx::tidy {

/// Whether D is, or is nested in, an implicit or explicit template
/// instantiation. Checks that report on the template skip these: the
/// template's own pattern has already been seen. An explicit specialization
/// (and what is nested in it) is the user's own code, not an instantiation.
bool isInInstantiation(const clang::Decl *D);

/// Whether the translation unit failed to compile. The checks then report
/// nothing: on broken code the AST is a guess (recovery expressions, bodies
/// cut short by a missing brace), and the compile errors come first.
inline bool hasCompileErrors(const clang::ASTContext &Ctx) {
  return Ctx.getDiagnostics().hasUncompilableErrorOccurred();
}

/// The innermost function (lambdas included) whose body contains E, or null
/// (a global initializer, a default member initializer).
const clang::FunctionDecl *enclosingFunction(const clang::Expr *E, clang::ASTContext &Ctx);

/// Whether a parameter of type ParamType (parameter Index of Callee, which
/// may be null for a call through a pointer) takes only rvalues: an rvalue
/// reference that is not a forwarding reference. An lvalue put in place of
/// its argument would not compile.
bool isRValueOnlyParameter(const clang::FunctionDecl *Callee, unsigned Index,
                           clang::QualType ParamType);

/// The type that the value of E initialises where it is used (a call's
/// parameter, a variable), looking through implicit nodes; null if unknown.
/// Callee and Index are set for a parameter.
clang::QualType destinationType(const clang::Expr *E, clang::ASTContext &Ctx,
                                const clang::FunctionDecl *&Callee, unsigned &Index);

/// Whether E is in an unevaluated operand (sizeof, alignof, noexcept,
/// decltype, an unevaluated typeid, a requires-expression) or in a
/// static_assert: nothing there runs. Walks the parent map.
bool isInUnevaluatedContext(const clang::Expr *E, clang::ASTContext &Ctx);

/// Whether E is (in) a parameter's default argument, and not in a lambda
/// written inside it. Walks the parent map.
bool isInDefaultArgument(const clang::Expr *E, clang::ASTContext &Ctx);

/// How an expression written inside a macro body (R's ends are macro
/// locations that no file range covers) reads in the source: the macro's
/// name when it is exactly one macro's expansion (`NULL` in another macro's
/// body), else its tokens where they are spelled, else the name of the
/// outermost macro.
std::string spelledInMacroBody(clang::SourceRange R, const clang::SourceManager &SM,
                               const clang::LangOptions &LO);

/// A list of qualified names or regular expressions, as option
/// `AllowedClasses` takes them: an item made only of identifier characters
/// and "::" is compared as a qualified name (a leading "::" is optional),
/// anything else is a regular expression matched against the whole
/// qualified name.
class NameOrRegexList {
public:
  explicit NameOrRegexList(llvm::StringRef Value);
  bool matches(llvm::StringRef QualifiedName) const;
  /// The items that are not valid regular expressions, with the error.
  const std::vector<std::pair<std::string, std::string>> &invalid() const { return Invalid; }

private:
  std::vector<std::string> Names;
  std::vector<llvm::Regex> Regexes;
  std::vector<std::pair<std::string, std::string>> Invalid;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_CHECKUTILS_H
