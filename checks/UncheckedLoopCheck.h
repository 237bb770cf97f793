//===- UncheckedLoopCheck.h - context-unchecked-loop ----------------------===//
#ifndef CTX_CHECKS_UNCHECKEDLOOPCHECK_H
#define CTX_CHECKS_UNCHECKEDLOOPCHECK_H

#include "CheckUtils.h"
#include "ContextScope.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags a loop that calls a blocking function where a context is in scope
/// but never looks at the context: it goes on after the caller cancelled.
/// Warning at the loop, note at the blocking call.
///
/// Options: `BlockingFunctions` (see DefaultBlockingFunctions),
/// `ContextTypes`.
class UncheckedLoopCheck : public WalkingCheck {
public:
  UncheckedLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override {
    Types.reset();
    Blocking.reset();
    AfterFunc.reset();
    WatchTypes.clear();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// Whether T is ctx::Done or std::stop_token: what is taken from a
  /// context to watch it.
  bool isWatchType(clang::QualType T, clang::ASTContext &Ctx) const;

  const ContextTypeSet Types;
  const std::string BlockingFunctionsOption;
  const BlockingFunctionList Blocking;
  const FunctionNameList AfterFunc;
  mutable llvm::DenseMap<const clang::Decl *, bool> WatchTypes;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_UNCHECKEDLOOPCHECK_H
