//===- NotInheritedCheck.h - context-not-inherited ------------------------===//
#ifndef CTX_CHECKS_NOTINHERITEDCHECK_H
#define CTX_CHECKS_NOTINHERITEDCHECK_H

#include "CheckUtils.h"
#include "ContextScope.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags a call of a root factory (`ctx::background()`) where a context is
/// in scope: the work started there outlives the caller's cancellation and
/// loses its values. `ctx::without_cancel(c)` is the named detach and is
/// never flagged. Fix-it: the one context parameter of the function the
/// call is written in.
///
/// Options: `RootFunctions` (default "::ctx::background"), `AllowedFunctions`
/// (qualified names or regexes of functions where it is fine), `ContextTypes`.
class NotInheritedCheck : public WalkingCheck {
public:
  NotInheritedCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  bool walks() const override { return !Roots.empty(); }
  void onStartOfTranslationUnit() override {
    Types.reset();
    Roots.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  void checkCall(const clang::CallExpr *Call, const ScopeFrame &Scope,
                 llvm::ArrayRef<clang::DynTypedNode> Ancestors);

  const ContextTypeSet Types;
  const std::string RootFunctions;
  const std::string AllowedFunctionsOption;
  const FunctionNameList Roots;
  const NameOrRegexList AllowedFunctions;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_NOTINHERITEDCHECK_H
