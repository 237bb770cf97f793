//===- FirstParameterCheck.h - context-first-parameter --------------------===//
#ifndef CTX_CHECKS_FIRSTPARAMETERCHECK_H
#define CTX_CHECKS_FIRSTPARAMETERCHECK_H

#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags a context parameter (by value, reference or pointer) that is not
/// first. A leading run of contexts is fine, and so are parameters of the
/// types in `AllowedTypesBefore` before it.
///
/// Options: `AllowedTypesBefore` (qualified type names, default empty),
/// `ContextTypes`.
class FirstParameterCheck : public WalkingCheck {
public:
  FirstParameterCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override { Types.reset(); }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// A function with a context parameter after its first.
  void checkFunction(const clang::FunctionDecl *Fn, clang::ASTContext &Ctx);
  bool isAllowedBefore(clang::QualType T, const clang::ASTContext &Ctx) const;

  const ContextTypeSet Types;
  const std::string AllowedTypesBeforeRaw;
  /// Normalised spellings (see normalizeTypeName in the .cpp).
  std::vector<std::string> AllowedTypesBefore;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_FIRSTPARAMETERCHECK_H
