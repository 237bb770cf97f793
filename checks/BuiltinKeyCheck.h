//===- BuiltinKeyCheck.h - context-builtin-key ----------------------------===//
#ifndef CTX_CHECKS_BUILTINKEYCHECK_H
#define CTX_CHECKS_BUILTINKEYCHECK_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"
#include "llvm/ADT/DenseSet.h"

namespace ctx::tidy {

/// Flags a `with_value` key of a built-in type: fundamental types, pointers
/// to character types (string literals), std::basic_string and
/// std::basic_string_view. Keys of such types collide between libraries.
///
/// Options: `ValueFunctions` (default "::ctx::with_value"), `ContextTypes`.
class BuiltinKeyCheck : public WalkingCheck {
public:
  BuiltinKeyCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  bool walks() const override { return !Functions.empty(); }
  void onStartOfTranslationUnit() override {
    Reported.clear();
    Types.reset();
    Functions.reset();
  }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// A call of a value function Fn.
  void checkCall(const clang::CallExpr *Call, const clang::FunctionDecl *Fn,
                 clang::ASTContext &Ctx);

  const ContextTypeSet Types;
  const std::string ValueFunctions;
  const FunctionNameList Functions;
  /// Calls with a dependent key are seen once per instantiation; report
  /// each once, on the template (keyed on the key's own location, shared by
  /// the instantiations, distinct for two keys of one macro expansion).
  llvm::DenseSet<clang::SourceLocation> Reported;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_BUILTINKEYCHECK_H
