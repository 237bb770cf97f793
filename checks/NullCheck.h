//===- NullCheck.h - context-null -----------------------------------------===//
#ifndef CTX_CHECKS_NULLCHECK_H
#define CTX_CHECKS_NULLCHECK_H

#include "ContextTypes.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace ctx::tidy {

/// Flags a null context passed to a context parameter: `nullptr`, `NULL`,
/// `0`, `{}`, `Context()`, `Context{}`, `Context(nullptr)`, and a null
/// pointer passed to a pointer-to-context parameter. The fix-it passes the
/// enclosing function's first context parameter, else `ctx::todo()`.
///
/// Options: `TodoFunction` (what the fix-it calls when there is no context in
/// scope, default "ctx::todo"), `ContextTypes`.
class NullCheck : public clang::tidy::ClangTidyCheck {
public:
  NullCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override {
    Reported.clear();
    Functions.clear();
    LastDefaultArg = {};
    Types.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  /// Whether E, as an argument for a parameter of context type, is a null
  /// context the user spelled.
  bool isNullContext(const clang::Expr *E, clang::ASTContext &Ctx) const;
  void checkArgument(const clang::Expr *Arg, clang::QualType ParamType,
                     const clang::ParmVarDecl *Param, unsigned Index,
                     const clang::NamedDecl *Callee,
                     const clang::ast_matchers::MatchFinder::MatchResult &Result);

  /// The innermost function seen so far whose body (or constructor
  /// initializers) contain Loc. InSignature is set when Loc is elsewhere in
  /// that function's declaration (a default argument).
  const clang::FunctionDecl *enclosingFunction(clang::SourceLocation Loc,
                                               const clang::SourceManager &SM,
                                               bool &InSignature);

  const ContextTypeSet Types;
  const std::string TodoFunction;
  /// The functions whose bodies the traversal is inside, innermost last. The
  /// match callbacks run in traversal (pre-)order, so a function is seen
  /// before the calls in its body; this replaces a walk up the parent map,
  /// whose construction for the whole translation unit costs more than
  /// all of this check's other work together.
  llvm::SmallVector<const clang::FunctionDecl *, 8> Functions;
  /// The last default argument seen (file locations): no fix is offered
  /// inside one.
  clang::SourceRange LastDefaultArg;
  /// Calls in templates are seen once per instantiation; report each
  /// argument once. Keyed on the argument's own location, which
  /// instantiations share and which differs for two arguments of one macro
  /// expansion.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_NULLCHECK_H
