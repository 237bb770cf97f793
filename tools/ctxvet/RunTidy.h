//===- RunTidy.h - clang-tidy over one compile command ----------------------===//
//
// clang-tidy's runClangTidy, for one command and with what ctxvet needs to
// know: whether the compiler ran at all. (runClangTidy drops ClangTool's
// status and prints "Error while processing ..." straight to stderr, where
// it would break into the progress line.)
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_RUNTIDY_H
#define CTX_TOOLS_CTXVET_RUNTIDY_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <vector>

namespace ctx::vet {

struct TidyRun {
  std::vector<clang::tidy::ClangTidyError> Errors;
  bool Failed = false; // the compiler did not run to the end
};

/// Runs the context's checks over `Command` (directory and file absolute).
/// `FS` is the worker's own: ClangTool sets its working directory.
TidyRun runTidy(clang::tidy::ClangTidyContext &Context, const clang::tooling::CompileCommand &Command,
                llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS, bool FixesFromNotes);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_RUNTIDY_H
