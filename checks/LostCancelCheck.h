//===- LostCancelCheck.h - context-lost-cancel ----------------------------===//
#ifndef CTX_CHECKS_LOSTCANCELCHECK_H
#define CTX_CHECKS_LOSTCANCELCHECK_H

#include "ContextTypes.h"
#include "UserCodeWalk.h"
#include "llvm/ADT/DenseSet.h"

namespace ctx::tidy {

/// Go vet's lostcancel: the cancel function returned by a cancel factory
/// (`ctx::with_cancel`, `ctx::with_timeout`, ...) must be used on every path
/// from where it is obtained to every exit of the function, and must not be
/// discarded.
///
/// Each function, lambda and block body that calls a factory is analysed on
/// its own: a forward reachability search over its clang CFG from the point
/// where the cancel is obtained, stopping at blocks that use it, linear in
/// the size of the CFG per cancel variable.
///
/// Options: `CancelFactories` (qualified names), `StrictExceptions` (exits by
/// exception count too), `ContextTypes`.
class LostCancelCheck : public WalkingCheck {
public:
  LostCancelCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  bool walks() const override { return !FactoryNames.empty(); }
  /// Broken code too: a body that compiled is analysed (LostCancelPaths.cpp).
  bool runsOnCompileErrors() const override { return true; }
  void onStartOfTranslationUnit() override {
    Analysed.clear();
    Types.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

  /// Whether D is one of the configured factories (by qualified name) and
  /// returns a pair whose first member is a context.
  bool isFactory(const clang::FunctionDecl *D) const;

private:
  class Part;

  void analyse(const clang::Decl *Fn, const clang::Stmt *Body, clang::ASTContext &Ctx);
  /// An initializer outside any body (default member initializer, global,
  /// default argument): only discards can be seen there.
  void analyseInitializer(const clang::Decl *Owner, const clang::Expr *Init);
  void reportDiscard(clang::SourceLocation Loc, const clang::FunctionDecl *Factory);

  const ContextTypeSet Types;
  const std::string CancelFactories;
  const bool StrictExceptions;
  std::vector<std::string> FactoryNames;
  /// Bodies and initializers already analysed in this translation unit (a
  /// lambda's body is reached through the lambda and its call operator).
  llvm::DenseSet<const clang::Decl *> Analysed;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_LOSTCANCELCHECK_H
