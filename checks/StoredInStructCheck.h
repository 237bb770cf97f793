//===- StoredInStructCheck.h - context-stored-in-struct -------------------===//
#ifndef CTX_CHECKS_STOREDINSTRUCTCHECK_H
#define CTX_CHECKS_STOREDINSTRUCTCHECK_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// Flags non-static data members whose type holds a context (see
/// ContextTypeSet::holdsContext).
///
/// Options: `AllowedClasses` (qualified names or regexes of classes that may
/// hold a context, default empty), `ContextTypes`.
class StoredInStructCheck : public WalkingCheck {
public:
  StoredInStructCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override { Types.reset(); }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  void checkField(const clang::FieldDecl *Field);

  const ContextTypeSet Types;
  const std::string AllowedClassesRaw;
  const NameOrRegexList AllowedClasses;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_STOREDINSTRUCTCHECK_H
