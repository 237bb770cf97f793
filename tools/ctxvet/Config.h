//===- Config.h - Which checks run, with which options (.clang-tidy) ------===//
//
// ctxvet reads `.clang-tidy` files exactly as clang-tidy does (through
// FileOptionsProvider: nearest file first, InheritParentConfig, CheckOptions
// local or global), with one rule on top: only context-* checks ever run.
// The effective `Checks` for a file is the `.clang-tidy` glob list (starting
// from `context-*` when no file says otherwise) intersected with the
// context-* checks. So `Checks: '-*,bugprone-*'` turns ctxvet off for that
// directory, and `Checks: '-context-todo'` drops that one check.
//
// Unlike clang-tidy, a configuration that cannot mean what it says is a
// setup error (exit 2), reported once, naming the file and line: a file that
// does not parse (clang-tidy says "Error parsing ...: Invalid argument" for
// every TU and runs with its defaults), one that cannot be read (clang-tidy
// says "Can't read ..." for every TU and goes on without it), a context-*
// option or check name that does not exist (clang-tidy ignores it unless
// --verify-config), a misspelling of a global option the checks read
// (`ContextType:` for `ContextTypes:`; other global options may be other
// checks', so only near misses are errors), and a check's own complaint
// about an option value. A misspelled option is an
// error rather than a warning because it fails silently in both directions:
// a ContextTypes that is not read turns checks off, an AllowedFiles that is
// not read turns findings on.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_CONFIG_H
#define CTX_TOOLS_CTXVET_CONFIG_H

#include "Findings.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ctx::vet {

/// The names of the registered context-* checks, sorted.
std::vector<std::string> contextCheckNames();

/// What every worker's options provider shares: the known checks and
/// options, and the problems found in configuration files (each file is
/// examined once). Thread-safe.
class ConfigCheck {
public:
  /// `Root`: paths in messages are relative to it.
  ConfigCheck(std::vector<std::string> ContextChecks, Problems &Found, std::string Root);

  const std::vector<std::string> &checks() const { return ContextChecks; }
  /// The context-* checks a glob list enables, and a problem for each
  /// context-* name in it that matches no check. `Where` says where the list
  /// came from, for the message.
  std::vector<std::string> enabledBy(llvm::StringRef Globs, const std::string &File,
                                     llvm::StringRef Where);
  /// Parses a .clang-tidy, reporting what does not parse.
  llvm::ErrorOr<clang::tidy::ClangTidyOptions> parse(llvm::MemoryBufferRef Config);
  /// Reports unknown context-* options and check names, and misspelled
  /// global options, of a configuration file (once per file).
  void examine(const clang::tidy::ClangTidyOptions &Options, const std::string &File);
  /// Whether a .clang-tidy can be read; reports it (once) when not.
  bool readable(const std::string &File);
  /// Reports a check's complaint about its configuration (clang-tidy's
  /// "clang-tidy-config" diagnostic, which has no location), naming the
  /// file that sets the option it is about.
  void optionComplaint(llvm::StringRef Message,
                       const std::vector<clang::tidy::ClangTidyOptionsProvider::OptionsSource> &Sources,
                       llvm::StringRef Unit, llvm::StringRef Root);

private:
  std::vector<std::string> ContextChecks;
  std::set<std::string> KnownOptions;       // "context-todo.AllowedFiles", ...
  std::set<std::string> KnownGlobalOptions; // "ContextTypes"
  Problems &Found;
  std::string Root;
  std::mutex Mu;
  std::set<std::string> Examined;
  std::map<std::string, bool> Readable;
};

/// The options provider for one run (providers cache per directory and are
/// not thread-safe). `ChecksOverride`, when set, replaces the files'
/// `Checks` (still restricted to context-*). `FS` must be the file system
/// the run uses: clang-tidy asks for the options of the main file as the
/// command spells it, relative to the command's directory, which ClangTool
/// sets as that file system's working directory.
std::unique_ptr<clang::tidy::ClangTidyOptionsProvider>
makeOptionsProvider(ConfigCheck &Config, std::optional<std::string> ChecksOverride,
                    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_CONFIG_H
