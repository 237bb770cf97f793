// A third-party clang-tidy plugin, as someone else would write it: a module
// with one check, built against clang-tidy's headers only, for --load.
#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.inc"
#if CLANG_VERSION_MAJOR < 22 // since 22 in ClangTidyModule.h; the old header warns
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace {

class ForbiddenCheck : public clang::tidy::ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  void registerMatchers(MatchFinder *Finder) override {
    Finder->addMatcher(functionDecl(hasName("forbidden")).bind("f"), this);
  }
  void check(const MatchFinder::MatchResult &Result) override {
    const auto *F = Result.Nodes.getNodeAs<clang::FunctionDecl>("f");
    diag(F->getLocation(), "a function named 'forbidden'");
  }
};

class ThirdPartyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<ForbiddenCheck>("thirdparty-forbidden");
  }
};

} // namespace

static clang::tidy::ClangTidyModuleRegistry::Add<ThirdPartyModule> X("thirdparty-module",
                                                                    "A third-party module.");
