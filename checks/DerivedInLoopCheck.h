//===- DerivedInLoopCheck.h - context-derived-in-loop ---------------------===//
#ifndef CTX_CHECKS_DERIVEDINLOOPCHECK_H
#define CTX_CHECKS_DERIVEDINLOOPCHECK_H

#include "CheckUtils.h"
#include "ContextTypes.h"
#include "UserCodeWalk.h"

namespace ctx::tidy {

/// fatcontext: a context variable reassigned, inside a loop, with a value
/// derived from itself (`c = ctx::with_value(c, k, v)`): each iteration adds
/// a level to the chain, and every lookup walks it. The same inside a lambda
/// (which may run many times) for a context captured by reference, or by
/// copy in a mutable lambda. Only a value derived from the variable itself
/// counts, which keeps fatcontext's false positives (resets, struct copies)
/// out.
///
/// Options: `ContextTypes`.
class DerivedInLoopCheck : public WalkingCheck {
public:
  DerivedInLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  std::unique_ptr<WalkPart> makePart(const UserCodeWalk &Walk) override;
  void onStartOfTranslationUnit() override { Types.reset(); }
  bool isLanguageVersionSupported(const clang::LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

private:
  class Part;

  /// An assignment: its targets (`c`, or the arguments of `std::tie(c, x)`)
  /// and its right-hand side, with the nodes around it.
  void checkAssignment(const clang::Expr *Assign, const clang::Expr *LHS,
                       const clang::Expr *RHS, llvm::ArrayRef<clang::DynTypedNode> Ancestors,
                       const clang::SourceManager &SM);

  const ContextTypeSet Types;
};

} // namespace ctx::tidy

#endif // CTX_CHECKS_DERIVEDINLOOPCHECK_H
