//===- ContextTidyModule.cpp - The `context` clang-tidy module ------------===//
//
// Registers every context-* check. Adding a check: one .h/.cpp pair, one line
// here, one source line in CMakeLists.txt.
//
//===----------------------------------------------------------------------===//

#include "LostCancelCheck.h"
#include "TodoCheck.h"
#include "StoredInStructCheck.h"
#include "StoredInGlobalCheck.h"
#include "DerivedInLoopCheck.h"
#include "FirstParameterCheck.h"
#include "NullCheck.h"
#include "BuiltinKeyCheck.h"
#include "NotInheritedCheck.h"
#include "UncheckedLoopCheck.h"
#include "NotPassedCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.inc"
#if CLANG_VERSION_MAJOR < 22 // since 22 in ClangTidyModule.h; the old header warns
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace ctx::tidy {
namespace {

class ContextModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<LostCancelCheck>("context-lost-cancel");
    Factories.registerCheck<TodoCheck>("context-todo");
    Factories.registerCheck<StoredInStructCheck>("context-stored-in-struct");
    Factories.registerCheck<FirstParameterCheck>("context-first-parameter");
    Factories.registerCheck<NullCheck>("context-null");
    Factories.registerCheck<BuiltinKeyCheck>("context-builtin-key");
    Factories.registerCheck<NotInheritedCheck>("context-not-inherited");
    Factories.registerCheck<UncheckedLoopCheck>("context-unchecked-loop");
    Factories.registerCheck<NotPassedCheck>("context-not-passed");
    Factories.registerCheck<StoredInGlobalCheck>("context-stored-in-global");
    Factories.registerCheck<DerivedInLoopCheck>("context-derived-in-loop");
  }
};

} // namespace
} // namespace ctx::tidy

static clang::tidy::ClangTidyModuleRegistry::Add<ctx::tidy::ContextModule>
    X("context-module", "Checks for the ctx context library (Go's go vet for C++).");

// Referenced by binaries that link the module statically (ctx-tidy,
// clangd-ctx, ctxvet) so the linker keeps the registration above.
volatile int CtxContextModuleAnchorSource = 0;
