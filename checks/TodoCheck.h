//===- TodoCheck.h - context-todo -----------------------------------------===//
#ifndef CTX_CHECKS_TODOCHECK_H
#define CTX_CHECKS_TODOCHECK_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"
#include "llvm/Support/Regex.h"

namespace ctx::tidy {

/// Flags calls of `ctx::todo()`: a placeholder that should become the
/// caller's context. Offers the enclosing function's context parameter as a
/// fix-it when there is exactly one.
///
/// Options: `TodoFunctions` (default "::ctx::todo"), `AllowedFiles` (regex of
/// file paths where calls are fine, default empty), `ContextTypes`.
class TodoCheck : public WalkingCheck {
public:
  TodoCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  bool walks() const override { return !Functions.empty(); }
  void onStartOfTranslationUnit() override {
    Types.reset();
    Functions.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// A call of a todo function; Ancestors as AncestorTrackingVisitor keeps
  /// them, up to the call's parent.
  void checkCall(const clang::CallExpr *Call, llvm::ArrayRef<clang::DynTypedNode> Ancestors,
                 clang::ASTContext &Ctx);

  const ContextTypeSet Types;
  const std::string TodoFunctions;
  const std::string AllowedFiles;
  llvm::Regex AllowedFilesRe;
  const FunctionNameList Functions;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_TODOCHECK_H
