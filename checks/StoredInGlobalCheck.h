//===- StoredInGlobalCheck.h - context-stored-in-global -------------------===//
#ifndef CTX_CHECKS_STOREDINGLOBALCHECK_H
#define CTX_CHECKS_STOREDINGLOBALCHECK_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags variables with static or thread storage duration (namespace-scope
/// variables, static data members, `static` locals, `thread_local`
/// variables) whose type holds a context, as context-stored-in-struct
/// recognises it (ContextTypeSet::holdsContext): Go's "pass the context
/// explicitly instead of using global variables".
///
/// Options: `AllowedVariables` (qualified names or regexes, default empty),
/// `ContextTypes`.
class StoredInGlobalCheck : public WalkingCheck {
public:
  StoredInGlobalCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override { Types.reset(); }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  void checkVariable(const clang::VarDecl *Var);

  const ContextTypeSet Types;
  const std::string AllowedVariablesRaw;
  const NameOrRegexList AllowedVariables;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_STOREDINGLOBALCHECK_H
