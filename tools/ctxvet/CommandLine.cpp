//===- CommandLine.cpp - ctxvet's options, parsed and checked -------------===//

#include "CommandLine.h"
#include "Findings.h"
#include "ToolArgs.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <thread>

using namespace llvm;

namespace ctx::vet {

namespace {

cl::OptionCategory Category("ctxvet options");

// Not cl::Required: --list-checks, --merge and --version need no database.
cl::opt<std::string> BuildDir("p",
                              cl::desc("Build directory holding compile_commands.json, or the "
                                       "compile database file itself (required)"),
                              cl::value_desc("build-dir"), cl::Prefix, cl::cat(Category));
cl::list<std::string> Paths(cl::Positional,
                            cl::desc("[<file or directory> ...] (default: every translation unit; "
                                     "with --merge, the reports to merge)"),
                            cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units checked in parallel (default: the number of cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<Format> OutputFormat("format", cl::desc("Report format"), cl::init(Format::Text),
                             cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics (default)"),
                                        clEnumValN(Format::Json, "json", "one JSON document"),
                                        clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0 (GitHub code scanning)"),
                                        clEnumValN(Format::CodeQuality, "codequality",
                                                   "GitLab code quality report")),
                             cl::cat(Category));
cl::opt<std::string> OutputFile("o", cl::desc("Write the report here instead of stdout"),
                                cl::value_desc("file"), cl::Prefix, cl::cat(Category));
cl::list<std::string> Reports("report",
                              cl::desc("Also write a report in FORMAT to FILE (repeatable), e.g. "
                                       "--report=sarif=ctxvet.sarif: one run, several consumers"),
                              cl::value_desc("format=file"), cl::cat(Category));
cl::opt<std::string> Root("root",
                          cl::desc("Paths in reports, SARIF URIs (base SRCROOT) and baselines are relative to "
                                   "this directory (default: the current directory)"),
                          cl::value_desc("dir"), cl::cat(Category));
cl::alias SarifRoot("sarif-root", cl::desc("Alias for --root"), cl::aliasopt(Root));
cl::opt<std::string> ChecksOverride("checks",
                                    cl::desc("Glob list replacing the .clang-tidy files' Checks "
                                             "(still limited to context-*)"),
                                    cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg",
                                cl::desc("Add this argument to every compile command (after its "
                                         "arguments), as clang-tidy's --extra-arg"),
                                cl::value_desc("arg"), cl::cat(Category));
cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                      cl::desc("Add this argument to every compile command (before "
                                               "its arguments), as clang-tidy's --extra-arg-before"),
                                      cl::value_desc("arg"), cl::cat(Category));
cl::opt<bool> KeepUnknownFlags("keep-unknown-flags",
                               cl::desc("Pass on compiler flags clang does not know (by default they "
                                        "are left out, with a note, as clangd does)"),
                               cl::cat(Category));
cl::opt<bool> Fix("fix",
                  cl::desc("Apply the findings' fix-its; report only what remains (exit 0 when "
                           "everything was fixed)"),
                  cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not recorded in this baseline"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record every current finding in this baseline file and exit 0 "
                                            "(no report: not with -o, --format, --report or --fix)"),
                                   cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> IgnoreUnlisted("ignore-unlisted",
                              cl::desc("Skip, silently, file arguments that are not in the compile "
                                       "database (for hooks that pass every changed file)"),
                              cl::cat(Category));
cl::list<std::string> Excludes("exclude",
                               cl::desc("Skip translation units, and drop findings in files, whose path "
                                        "(as reported, or absolute) matches this regular expression "
                                        "(repeatable): third-party and generated trees"),
                               cl::value_desc("regex"), cl::cat(Category));
cl::opt<std::string> Shard("shard",
                           cl::desc("Check only part K of N of the translation units (1 <= K <= N), "
                                    "for a CI matrix; merge the parts' reports with --merge"),
                           cl::value_desc("K/N"), cl::cat(Category));
cl::opt<bool> Merge("merge",
                    cl::desc("Merge the JSON reports, SARIF reports or baselines given as arguments "
                             "(the parts of a --shard run) into one, as one run would have written it"),
                    cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the checks ctxvet runs and exit"),
                         cl::cat(Category));

/// --shard=K/N, 1 <= K <= N.
bool parseShard(StringRef Text, unsigned &K, unsigned &N) {
  auto [Left, Right] = Text.split('/');
  return !Left.getAsInteger(10, K) && !Right.getAsInteger(10, N) && N >= 1 && K >= 1 && K <= N;
}

bool anyResourceDir(const cl::list<std::string> &Args) {
  return llvm::any_of(Args, [](StringRef A) { return A.contains("-resource-dir"); });
}

} // namespace

std::optional<Format> parseFormat(StringRef Name) {
  return StringSwitch<std::optional<Format>>(Name)
      .Case("text", Format::Text)
      .Case("json", Format::Json)
      .Case("sarif", Format::Sarif)
      .Case("codequality", Format::CodeQuality)
      .Default(std::nullopt);
}

void usageError(const Twine &Message) { errs() << "ctxvet: error: " << Message << "\n"; }

bool isExcluded(StringRef File, const Options &O) {
  if (O.Excludes.empty())
    return false;
  std::string Shown = relativeTo(File, O.Root);
  return llvm::any_of(O.Excludes, [&](const Exclude &E) { return E.Re->match(Shown) || E.Re->match(File); });
}

std::optional<Options> parseCommandLine(int Argc, const char **Argv, int &ExitStatus) {
  ExitStatus = 2;
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "ctxvet (ctx " << CTX_VERSION << ", clang-tidy " << CLANG_VERSION_STRING << ")\n";
  });
  // With an error stream, a bad command line returns here instead of exiting
  // with status 1, which would read as "findings".
  if (!cl::ParseCommandLineOptions(Argc, Argv,
                                   "ctxvet: the context-* checks over a compile database, for CI.\n\n"
                                   "Exit status: 0 no findings, 1 findings, 2 usage or setup errors.\n",
                                   &errs()))
    return std::nullopt;

  Options O;
  if (ListChecks) {
    O.Do = Options::Action::ListChecks;
    return O;
  }
  O.Do = Merge ? Options::Action::Merge : Options::Action::Vet;
  O.Paths.assign(Paths.begin(), Paths.end());
  if (Merge) {
    // What a merge does not do, refused rather than ignored.
    for (auto [Given, Name] : {std::pair<bool, const char *>{!BuildDir.empty(), "-p"},
                               {Fix, "--fix"},
                               {!BaselineFile.empty(), "--baseline"},
                               {!WriteBaseline.empty(), "--write-baseline"},
                               {!Shard.empty(), "--shard"},
                               {!Excludes.empty(), "--exclude"},
                               {ChecksOverride.getNumOccurrences() > 0, "--checks"}})
      if (Given) {
        usageError(std::string("--merge reads reports and baselines; ") + Name +
                   " belongs to the runs that wrote them");
        return std::nullopt;
      }
    if (O.Paths.empty()) {
      usageError("--merge needs the reports or baselines to merge (ctxvet --merge -o ALL.json PART.json...)");
      return std::nullopt;
    }
  } else {
    if (BuildDir.empty()) {
      usageError("-p BUILD_DIR is required: the build directory holding compile_commands.json");
      return std::nullopt;
    }
    if (!BaselineFile.empty() && !WriteBaseline.empty()) {
      usageError("--baseline and --write-baseline exclude each other (rewrite a baseline with "
                 "--write-baseline alone)");
      return std::nullopt;
    }
    if (!WriteBaseline.empty()) {
      // Rather than quietly doing half of what was asked: a baseline run
      // writes the baseline and nothing else.
      for (auto [Given, Name] : {std::pair<bool, const char *>{Fix, "--fix"},
                                 {!OutputFile.empty(), "-o"},
                                 {OutputFormat.getNumOccurrences() > 0, "--format"},
                                 {!Reports.empty(), "--report"}})
        if (Given) {
          usageError(std::string("--write-baseline writes only the baseline; run ") + Name +
                     " separately");
          return std::nullopt;
        }
    }
  }

  O.BuildPath = BuildDir;
  for (const std::string &R : Reports) {
    auto [Name, Path] = StringRef(R).split('=');
    std::optional<Format> Kind = parseFormat(Name);
    if (!Kind || Path.empty()) {
      usageError("--report wants FORMAT=FILE with FORMAT text, json, sarif or codequality, not '" + R + "'");
      return std::nullopt;
    }
    O.Reports.push_back({*Kind, Path.str(), "--report=" + R});
  }
  if (!OutputFile.empty())
    O.Reports.push_back({OutputFormat, OutputFile, "-o"});
  else
    O.StdoutFormat = OutputFormat.getValue();
  O.FormatGiven = OutputFormat.getNumOccurrences() > 0;

  for (const std::string &E : Excludes) {
    auto Re = std::make_shared<Regex>(E);
    std::string Why;
    if (!Re->isValid(Why)) {
      usageError("--exclude='" + E + "' is not a regular expression: " + Why);
      return std::nullopt;
    }
    O.Excludes.push_back({E, std::move(Re)});
  }
  if (!Shard.empty() && !parseShard(Shard, O.ShardIndex, O.ShardCount)) {
    usageError("--shard wants K/N with 1 <= K <= N (the K-th of N parts), not '" + Shard + "'");
    return std::nullopt;
  }

  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  O.Root = normalisePath(Root.empty() ? StringRef(Cwd) : StringRef(Root), "");
  if (ChecksOverride.getNumOccurrences())
    O.ChecksOverride = ChecksOverride;
  O.Fix = Fix;
  O.BaselineFile = BaselineFile;
  O.WriteBaseline = WriteBaseline;
  O.IgnoreUnlisted = IgnoreUnlisted;
  O.Jobs = Jobs ? Jobs.getValue() : std::max(1u, std::thread::hardware_concurrency());

  O.Adjust.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  O.Adjust.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  O.Adjust.DropUnknownFlags = !KeepUnknownFlags;
  if (O.Do == Options::Action::Vet) {
    std::string Tried;
    O.Adjust.ResourceDir = ctx::tools::findResourceDir(Tried);
    if (O.Adjust.ResourceDir.empty() && !anyResourceDir(ExtraArgs) && !anyResourceDir(ExtraArgsBefore)) {
      usageError(ctx::tools::noResourceDirMessage(Tried, "--extra-arg=-resource-dir="));
      return std::nullopt;
    }
  }
  ExitStatus = 0;
  return O;
}

} // namespace ctx::vet
