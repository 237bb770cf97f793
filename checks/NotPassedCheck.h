//===- NotPassedCheck.h - context-not-passed ------------------------------===//
#ifndef CTX_CHECKS_NOTPASSEDCHECK_H
#define CTX_CHECKS_NOTPASSEDCHECK_H

#include "CheckUtils.h"
#include "ContextScope.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags a call of a function that takes no context, where a context is in
/// scope and the callee's namespace or class also declares a
/// context-taking variant of it (same name, or name + a suffix of
/// `ContextSuffixes`, with a context first and the same other parameters).
/// No fixed list: the overload set is the list. Fix-it: the one context
/// that can be named, as the first argument (and the suffixed name).
///
/// Options: `ContextSuffixes` (default "Context;WithContext"),
/// `AllowedFunctions` (qualified names or regexes), `ContextTypes`.
class NotPassedCheck : public WalkingCheck {
public:
  NotPassedCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override {
    Types.reset();
    Variants.clear();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// The context-taking variant of F, or null; computed once per function.
  const clang::FunctionDecl *variantOf(const clang::FunctionDecl *F, clang::ASTContext &Ctx);
  const clang::FunctionDecl *findVariant(const clang::FunctionDecl *F, clang::ASTContext &Ctx);
  void checkCall(const clang::CallExpr *Call, const clang::FunctionDecl *Variant,
                 const ScopeFrame &Scope, clang::ASTContext &Ctx);

  const ContextTypeSet Types;
  const std::string SuffixesOption;
  const std::vector<std::string> Suffixes;
  const std::string AllowedFunctionsOption;
  const NameOrRegexList AllowedFunctions;
  llvm::DenseMap<const clang::FunctionDecl *, const clang::FunctionDecl *> Variants;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_NOTPASSEDCHECK_H
