//===- NullCheck.h - context-null -----------------------------------------===//
#ifndef CTX_CHECKS_NULLCHECK_H
#define CTX_CHECKS_NULLCHECK_H

#include "ContextTypes.h"
#include "UserCodeWalk.h"
#include "llvm/ADT/DenseSet.h"

namespace ctx::tidy {

/// Flags a null context passed to a context parameter: `nullptr`, `NULL`,
/// `0`, `{}`, `Context()`, `Context{}`, `Context(nullptr)`, and a null
/// pointer passed to a pointer-to-context parameter. The fix-it passes the
/// enclosing function's first context parameter, else `ctx::todo()`.
///
/// Options: `TodoFunction` (what the fix-it calls when there is no context in
/// scope, default "ctx::todo"), `ContextTypes`.
class NullCheck : public WalkingCheck {
public:
  NullCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override {
    Reported.clear();
    Types.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// Whether E, as an argument for a parameter of context type, is a null
  /// context the user spelled.
  bool isNullContext(const clang::Expr *E, clang::ASTContext &Ctx) const;
  /// A call or construction: its arguments for context parameters. Encl is
  /// the innermost function around it; NoFix is set where no replacement
  /// is known to be in scope (a default argument).
  void checkCall(const clang::Expr *E, const clang::FunctionDecl *Encl, bool NoFix,
                 clang::ASTContext &Ctx);
  void checkArgument(const clang::Expr *Arg, clang::QualType ParamType,
                     const clang::ParmVarDecl *Param, unsigned Index,
                     const clang::NamedDecl *Callee, const clang::FunctionDecl *Encl,
                     bool NoFix, clang::ASTContext &Ctx);

  const ContextTypeSet Types;
  const std::string TodoFunction;
  /// Calls in templates are seen once per instantiation; report each
  /// argument once. Keyed on the argument's own location, which
  /// instantiations share and which differs for two arguments of one macro
  /// expansion.
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_NULLCHECK_H
