//===- CommandLine.h - Phase 1: what the command line asks for ------------===//
//
// ctxvet runs in five phases (CtxVet.cpp's main): options (this file) ->
// translation units (Units.h) -> analysis (Analysis.h) -> findings
// (Findings.h, Fix.h) -> reports (Output.h). This phase turns argv into
// Options, a plain value the later phases read: every usage error (a bad
// --report, --shard, --exclude, an option that excludes another) is found
// here, before any file is read.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_COMMANDLINE_H
#define CTX_TOOLS_CTXVET_COMMANDLINE_H

#include "Database.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ctx::vet {

enum class Format { Text, Json, Sarif, CodeQuality };
std::optional<Format> parseFormat(llvm::StringRef Name);

/// A report to write to a file (-o, --report=FORMAT=FILE).
struct ReportRequest {
  Format Kind;
  std::string Path;
  std::string What; // the option that asked for it, for messages
};

/// An --exclude=REGEX.
struct Exclude {
  std::string Pattern;
  std::shared_ptr<llvm::Regex> Re;
};

struct Options {
  enum class Action { Vet, ListChecks, Merge } Do = Action::Vet;
  std::string BuildPath;              // -p: a build directory or the database file
  std::vector<std::string> Paths;     // what to check (Vet) or the reports to merge (Merge)
  unsigned Jobs = 1;                  // worker threads (at least 1)
  std::optional<Format> StdoutFormat; // the report on stdout, none with -o
  bool FormatGiven = false;           // --format was on the command line
  std::vector<ReportRequest> Reports; // -o and --report, in that order
  std::string Root;                   // absolute: paths in reports are relative to it
  std::optional<std::string> ChecksOverride;
  CommandAdjustments Adjust; // --extra-arg(-before), unknown flags, resource dir
  bool Fix = false;
  std::string BaselineFile, WriteBaseline;
  bool IgnoreUnlisted = false;
  std::vector<Exclude> Excludes;
  unsigned ShardIndex = 1, ShardCount = 1; // --shard=K/N, 1-based
};

/// Parses and checks the command line. On a usage error, --help or
/// --version, returns nullopt with the exit status to return.
std::optional<Options> parseCommandLine(int Argc, const char **Argv, int &ExitStatus);

/// Whether `File` (absolute) is under an --exclude: a pattern matches its
/// path as reports show it (relative to --root when under it) or the
/// absolute path.
bool isExcluded(llvm::StringRef File, const Options &O);

/// "ctxvet: error: MESSAGE" on stderr, for errors that stop ctxvet.
void usageError(const llvm::Twine &Message);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_COMMANDLINE_H
