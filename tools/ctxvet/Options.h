//===- Options.h - Which checks run, with which options -------------------===//
//
// ctxvet reads `.clang-tidy` files exactly as clang-tidy does (through
// FileOptionsProvider: nearest file first, InheritParentConfig, CheckOptions
// local or global), with one rule on top: only context-* checks ever run.
// The effective `Checks` for a file is the `.clang-tidy` glob list (starting
// from `context-*` when no file says otherwise) intersected with the
// context-* checks. So `Checks: '-*,bugprone-*'` turns ctxvet off for that
// directory, and `Checks: '-context-todo'` drops that one check.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_OPTIONS_H
#define CTX_TOOLS_CTXVET_OPTIONS_H

#include "clang-tidy/ClangTidyOptions.h"

#include <memory>
#include <string>
#include <vector>

namespace ctx::vet {

/// The names of the registered context-* checks, sorted.
std::vector<std::string> contextCheckNames();

/// The options provider for one worker (providers cache per directory and
/// are not thread-safe). `ChecksOverride`, when set, replaces the files'
/// `Checks` (still restricted to context-*).
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(const std::vector<std::string> &ContextChecks,
                    std::optional<std::string> ChecksOverride);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_OPTIONS_H
