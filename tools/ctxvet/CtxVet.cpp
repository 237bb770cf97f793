//===- CtxVet.cpp - Run the context-* checks over a compile database ------===//
//
// The CI entry point: `ctxvet -p BUILD [paths...]`. Worker threads take
// translation units from a shared queue and run clang-tidy's checks
// (RunTidy.h) one compile command at a time, each with a ClangTidyContext and
// options provider of its own (neither is thread-safe); the findings are
// merged, sorted and deduplicated only at the end, so the output does not
// depend on scheduling.
//
// Exit status: 0 no findings, 1 findings, 2 usage or setup errors (no
// compile database, a path not in it, a TU that does not compile or could
// not be run, a configuration that does not parse, a report that cannot be
// written). Setup errors are reported and the remaining TUs are still
// checked; nothing is printed mid-run (setup errors come at the end, sorted),
// so the progress line is never broken into.
//
//===----------------------------------------------------------------------===//

#include "Database.h"
#include "Findings.h"
#include "Options.h"
#include "Output.h"
#include "RunTidy.h"
#include "ToolArgs.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Basic/Version.h"
#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace llvm;
namespace tidy = clang::tidy;
namespace tooling = clang::tooling;
using ctx::vet::Problem;

namespace {

cl::OptionCategory Category("ctxvet options");

// Not cl::Required: --list-checks and --version need no database.
cl::opt<std::string> BuildDir("p", cl::desc("Build directory holding compile_commands.json (required)"),
                              cl::value_desc("build-dir"), cl::Prefix, cl::cat(Category));
cl::list<std::string> Paths(cl::Positional,
                            cl::desc("[<file or directory> ...] (default: every translation unit)"),
                            cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units checked in parallel (default: the number of cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
enum class Format { Text, Json, Sarif, CodeQuality };
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
cl::opt<bool> Fix("fix", cl::desc("Apply the reported findings' fix-its"), cl::cat(Category));
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
cl::opt<bool> ListChecks("list-checks", cl::desc("List the checks ctxvet runs and exit"),
                         cl::cat(Category));

std::optional<Format> parseFormat(StringRef Name) {
  return StringSwitch<std::optional<Format>>(Name)
      .Case("text", Format::Text)
      .Case("json", Format::Json)
      .Case("sarif", Format::Sarif)
      .Case("codequality", Format::CodeQuality)
      .Default(std::nullopt);
}

void setupError(const Twine &Message) { errs() << "ctxvet: error: " << Message << "\n"; }

void print(const Problem &P, StringRef RootDir) {
  errs() << "ctxvet: "
         << (P.Level == Problem::Error ? "error" : P.Level == Problem::Warning ? "warning" : "note")
         << ": ";
  if (!P.File.empty() && P.Line)
    errs() << ctx::vet::relativeTo(P.File, RootDir) << ":" << P.Line << ":" << P.Column << ": ";
  errs() << P.Message << "\n";
}

/// Expands the command line's paths to translation units of the database,
/// comparing real paths (a symlinked spelling of a listed file is that
/// file). Each path that names none is a problem.
std::vector<std::string> selectUnits(const ctx::vet::Database &DB, ctx::vet::Problems &Found) {
  if (Paths.empty())
    return DB.getAllFiles();
  std::set<std::string> Chosen;
  for (const std::string &P : Paths) {
    std::string Abs = ctx::vet::normalisePath(P, "");
    if (sys::fs::is_directory(Abs)) {
      std::vector<std::string> Under = DB.filesUnder(Abs);
      if (Under.empty())
        Found.error(Abs, "no translation unit of the compile database is under " + P);
      Chosen.insert(Under.begin(), Under.end());
    } else if (std::string Listed = DB.find(Abs); !Listed.empty()) {
      Chosen.insert(Listed);
    } else if (!IgnoreUnlisted) {
      Found.error(Abs, P + " is not in the compile database" +
                           (sys::fs::exists(Abs) ? "" : " (and does not exist)"));
    }
  }
  return std::vector<std::string>(Chosen.begin(), Chosen.end());
}

/// Shows `[done/total] file` on one line of a terminal; silent when piped.
class Progress {
public:
  explicit Progress(size_t Total) : Total(Total), Enabled(sys::Process::StandardErrIsDisplayed()) {}
  void done(StringRef File) {
    std::lock_guard<std::mutex> Lock(Mu);
    ++Done;
    if (Enabled)
      errs() << "\r\x1b[K[" << Done << "/" << Total << "] " << sys::path::filename(File);
  }
  /// Clears the line; everything after it starts at the left margin.
  void finish() {
    if (Enabled && Done)
      errs() << "\r\x1b[K";
  }

private:
  std::mutex Mu;
  size_t Total, Done = 0;
  bool Enabled;
};

/// Applies the findings' fix-its file by file (files by real path). A fix
/// that overlaps one already taken is skipped (with a message), never
/// half-applied; a file that changed since it was analysed is not touched.
bool applyFixes(const std::vector<ctx::vet::Finding> &Findings, ctx::vet::SourceCache &Sources,
                StringRef RootDir, unsigned &Applied) {
  std::map<std::string, tooling::Replacements> PerFile;
  bool Ok = true;
  Applied = 0;
  for (const ctx::vet::Finding &F : Findings) {
    if (F.Fix.empty())
      continue;
    std::map<std::string, tooling::Replacements> Trial = PerFile;
    bool Conflict = false;
    for (const auto &FileFix : F.Fix)
      for (const tooling::Replacement &R : FileFix.getValue()) {
        tooling::Replacement Abs(FileFix.getKey(), R.getOffset(), R.getLength(), R.getReplacementText());
        if (Error E = Trial[FileFix.getKey().str()].add(Abs)) {
          consumeError(std::move(E));
          Conflict = true;
        }
      }
    if (Conflict) {
      errs() << "ctxvet: note: fix for " << F.Check << " at " << ctx::vet::relativeTo(F.Loc.File, RootDir)
             << ":" << F.Loc.Line << " overlaps another fix; not applied\n";
      continue;
    }
    PerFile = std::move(Trial);
    ++Applied;
  }
  for (const auto &[File, Repls] : PerFile) {
    std::string Shown = ctx::vet::relativeTo(File, RootDir);
    auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true);
    if (!Buf) {
      setupError("cannot read " + Shown + " to fix it: " + Buf.getError().message());
      Ok = false;
      continue;
    }
    StringRef Now = (*Buf)->getBuffer();
    std::optional<std::string> Then = Sources.text(File);
    bool InBounds = llvm::all_of(Repls, [&](const tooling::Replacement &R) {
      return R.getOffset() + R.getLength() <= Now.size();
    });
    if (!InBounds || (Then && *Then != Now)) {
      setupError(Shown + " changed while ctxvet ran; its fixes are not applied (run --fix again)");
      Ok = false;
      continue;
    }
    Expected<std::string> Fixed = tooling::applyAllReplacements(Now, Repls);
    if (!Fixed) {
      setupError("cannot fix " + Shown + ": " + toString(Fixed.takeError()));
      Ok = false;
      continue;
    }
    std::error_code EC;
    raw_fd_ostream OS(File, EC, sys::fs::OF_Text);
    if (EC) {
      setupError("cannot write " + Shown + ": " + EC.message());
      Ok = false;
      continue;
    }
    OS << *Fixed;
    OS.close();
    if (OS.has_error()) {
      setupError("cannot write " + Shown + ": " + OS.error().message());
      OS.clear_error();
      Ok = false;
    }
  }
  return Ok;
}

/// A report file, opened before the analysis so that a path that cannot be
/// written fails in a second, not after the whole run.
struct ReportFile {
  Format Kind;
  std::string Path;
  std::string What; // the option that asked for it, for messages
  std::unique_ptr<raw_fd_ostream> OS;
};

bool openReport(ReportFile &R) {
  std::error_code EC;
  R.OS = std::make_unique<raw_fd_ostream>(R.Path, EC, sys::fs::OF_Text);
  if (EC) {
    setupError("cannot write " + R.Path + " (" + R.What + "): " + EC.message());
    R.OS.reset();
    return false;
  }
  return true;
}

/// Flushes and checks a written stream; an I/O error (a full disk,
/// /dev/full) is a setup error, never LLVM's "IO failure" abort (status 1,
/// which would read as "findings").
bool finishStream(raw_fd_ostream &OS, const std::string &Name, bool Close) {
  if (Close)
    OS.close();
  else
    OS.flush();
  if (!OS.has_error())
    return true;
  setupError("cannot write " + Name + ": " + OS.error().message());
  OS.clear_error();
  return false;
}

} // namespace

int main(int argc, const char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "ctxvet (ctx " << CTX_VERSION << ", clang-tidy " << CLANG_VERSION_STRING << ")\n";
  });
  // With an error stream, a bad command line returns here instead of exiting
  // with status 1, which would read as "findings".
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "ctxvet: the context-* checks over a compile database, for CI.\n\n"
                                   "Exit status: 0 no findings, 1 findings, 2 usage or setup errors.\n",
                                   &errs()))
    return 2;

  const std::vector<std::string> Checks = ctx::vet::contextCheckNames();
  if (ListChecks) {
    for (const std::string &C : Checks)
      outs() << C << "\n";
    outs().flush();
    return outs().has_error() ? (outs().clear_error(), 2) : 0;
  }
  if (BuildDir.empty()) {
    setupError("-p BUILD_DIR is required: the build directory holding compile_commands.json");
    return 2;
  }
  if (!BaselineFile.empty() && !WriteBaseline.empty()) {
    setupError("--baseline and --write-baseline exclude each other (rewrite a baseline with "
               "--write-baseline alone)");
    return 2;
  }
  if (!WriteBaseline.empty()) {
    // Rather than quietly doing half of what was asked: a baseline run
    // writes the baseline and nothing else.
    for (auto [Given, Name] : {std::pair<bool, const char *>{Fix, "--fix"},
                               {!OutputFile.empty(), "-o"},
                               {OutputFormat.getNumOccurrences() > 0, "--format"},
                               {!Reports.empty(), "--report"}})
      if (Given) {
        setupError(std::string("--write-baseline writes only the baseline; run ") + Name +
                   " separately");
        return 2;
      }
  }

  std::vector<ReportFile> Outputs;
  for (const std::string &R : Reports) {
    auto [Name, Path] = StringRef(R).split('=');
    std::optional<Format> Kind = parseFormat(Name);
    if (!Kind || Path.empty()) {
      setupError("--report wants FORMAT=FILE with FORMAT text, json, sarif or codequality, not '" + R + "'");
      return 2;
    }
    Outputs.push_back({*Kind, Path.str(), "--report=" + R, nullptr});
  }
  if (!OutputFile.empty())
    Outputs.push_back({OutputFormat, OutputFile, "-o", nullptr});

  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  std::string RootDir = ctx::vet::normalisePath(Root.empty() ? StringRef(Cwd) : StringRef(Root), "");

  ctx::vet::Problems Found;
  ctx::vet::ConfigCheck Config(Checks, Found);
  std::optional<std::string> ChecksGlob;
  if (ChecksOverride.getNumOccurrences()) {
    ChecksGlob = ChecksOverride;
    std::vector<std::string> Enabled = Config.enabledBy(*ChecksGlob, "", "--checks");
    if (Enabled.empty())
      Found.error("", "no checks enabled by --checks='" + *ChecksGlob +
                          "' (ctxvet runs only context-* checks; `ctxvet --list-checks` lists them)");
    if (Found.hasErrors()) {
      for (const Problem &P : Found.sorted())
        print(P, RootDir);
      return 2;
    }
  }

  ctx::vet::CommandAdjustments Adjust;
  Adjust.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Adjust.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Adjust.DropUnknownFlags = !KeepUnknownFlags;
  std::string Tried;
  Adjust.ResourceDir = ctx::tools::findResourceDir(Tried);
  bool UserResourceDir =
      llvm::any_of(ExtraArgs, [](StringRef A) { return A.contains("-resource-dir"); }) ||
      llvm::any_of(ExtraArgsBefore, [](StringRef A) { return A.contains("-resource-dir"); });
  if (Adjust.ResourceDir.empty() && !UserResourceDir) {
    setupError(ctx::tools::noResourceDirMessage(Tried, "--extra-arg=-resource-dir="));
    return 2;
  }

  std::string LoadError;
  std::unique_ptr<ctx::vet::Database> DB = ctx::vet::Database::load(BuildDir, LoadError);
  if (!DB) {
    setupError(LoadError);
    return 2;
  }
  if (DB->getAllFiles().empty()) {
    setupError("no translation units in " + DB->path() +
               " (an empty compile database: is the build configured with any sources?)");
    return 2;
  }
  std::vector<std::string> Selected = selectUnits(*DB, Found);

  // What would stop a TU before clang starts, said plainly rather than as
  // clang's ":0:0: error: no input files" or libTooling's abort on a
  // directory it cannot enter.
  std::vector<std::string> Units;
  for (const std::string &U : Selected) {
    std::string Shown = ctx::vet::relativeTo(U, RootDir);
    if (!sys::fs::exists(U)) {
      Found.error(U, Shown + " is listed in the compile database but does not exist (stale "
                             "database? rebuild, or re-run cmake)");
      continue;
    }
    bool DirOk = true;
    for (const tooling::CompileCommand &C : DB->getCompileCommands(U))
      if (!sys::fs::is_directory(C.Directory)) {
        Found.error(U, Shown + ": its compile command's directory " + C.Directory +
                               " does not exist (stale database? re-run cmake)");
        DirOk = false;
      }
    if (DirOk)
      Units.push_back(U);
  }

  ctx::vet::Baseline Accepted;
  if (!BaselineFile.empty()) {
    std::string Err;
    if (!Accepted.read(BaselineFile, Err)) {
      setupError(Err);
      return 2;
    }
  }
  std::unique_ptr<raw_fd_ostream> BaselineOut;
  if (!WriteBaseline.empty()) {
    ReportFile B{Format::Json, WriteBaseline, "--write-baseline", nullptr};
    if (!openReport(B))
      return 2;
    BaselineOut = std::move(B.OS);
  }
  for (ReportFile &R : Outputs)
    if (!openReport(R))
      return 2;

  unsigned Workers = Jobs ? Jobs.getValue() : std::max(1u, std::thread::hardware_concurrency());
  Workers = std::max<size_t>(1, std::min<size_t>(Workers, Units.size()));

  ctx::vet::SourceCache Sources;
  Progress Bar(Units.size());
  std::atomic<size_t> Next{0};
  std::mutex ResultsMu;
  std::vector<ctx::vet::Finding> Findings;
  std::set<std::string> FailedUnits;
  std::set<std::string> DroppedFlags;

  auto Work = [&] {
    for (size_t I; (I = Next.fetch_add(1)) < Units.size();) {
      const std::string &Unit = Units[I];
      std::string Shown = ctx::vet::relativeTo(Unit, RootDir);
      std::vector<ctx::vet::Finding> UnitFindings;
      bool Failed = false, Explained = false;
      for (tooling::CompileCommand Command : DB->getCompileCommands(Unit)) {
        std::set<std::string> Dropped;
        Command.CommandLine = ctx::vet::adjustCommand(Command.CommandLine, Adjust, Dropped);
        // A fresh context per command, owned by this thread: a
        // ClangTidyContext remembers which check owns each custom diagnostic
        // ID, and every run numbers its IDs afresh, so a reused one
        // misattributes diagnostics.
        // A physical file system of its own: its working directory (which
        // ClangTool sets per compile command) is per worker, not the process's.
        IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS(
            new vfs::OverlayFileSystem(vfs::createPhysicalFileSystem()));
        std::unique_ptr<tidy::ClangTidyOptionsProvider> Owned =
            ctx::vet::makeOptionsProvider(Config, ChecksGlob, FS);
        tidy::ClangTidyOptionsProvider *Provider = Owned.get();
        tidy::ClangTidyContext Context(std::move(Owned));
        ctx::vet::TidyRun Run = ctx::vet::runTidy(Context, Command, FS, /*FixesFromNotes=*/Fix);

        std::vector<tidy::ClangTidyError> Located;
        bool AnyError = false;
        for (tidy::ClangTidyError &E : Run.Errors) {
          bool IsError = E.DiagLevel == tooling::Diagnostic::Error;
          AnyError |= IsError;
          if (!E.Message.FilePath.empty()) {
            Located.push_back(std::move(E));
          } else if (E.DiagnosticName == "clang-tidy-config") {
            Config.optionComplaint(E.Message.Message, Provider->getRawOptions(Unit), Unit, RootDir);
          } else {
            // No place in the code (a bad compiler flag, ...): about the
            // TU, not a finding with an empty file name.
            Found.add({IsError ? Problem::Error : Problem::Warning, Unit, 0, 0,
                       Shown + (IsError ? " could not be checked: " : ": ") + E.Message.Message +
                           " [" + E.DiagnosticName + "]"});
            Explained |= IsError;
          }
        }
        if (Run.Failed && !AnyError) {
          Found.error(Unit, Shown + " could not be checked: clang stopped without an error message");
          Explained = true;
        }
        Failed |= Run.Failed || AnyError;
        for (ctx::vet::Finding &F : ctx::vet::toFindings(Located, Sources, RootDir))
          UnitFindings.push_back(std::move(F));
        if (!Dropped.empty()) {
          std::lock_guard<std::mutex> Lock(ResultsMu);
          DroppedFlags.insert(Dropped.begin(), Dropped.end());
        }
      }
      if (Failed && !Explained)
        Found.error(Unit, Shown + " does not compile; its findings may be incomplete");
      {
        std::lock_guard<std::mutex> Lock(ResultsMu);
        if (Failed)
          FailedUnits.insert(Unit);
        for (ctx::vet::Finding &F : UnitFindings)
          Findings.push_back(std::move(F));
      }
      Bar.done(Unit);
    }
  };
  std::vector<std::thread> Threads;
  for (unsigned W = 1; W < Workers; ++W)
    Threads.emplace_back(Work);
  if (!Units.empty())
    Work();
  for (std::thread &T : Threads)
    T.join();
  Bar.finish();

  ctx::vet::sortAndDeduplicate(Findings);
  if (!DroppedFlags.empty()) {
    std::string List;
    for (const std::string &F : DroppedFlags)
      List += (List.empty() ? "" : " ") + F;
    Found.add({Problem::Note, "", 0, 0,
               "left out compiler flags clang does not know (from the compile database): " + List +
                   " (--keep-unknown-flags passes them on)"});
  }
  std::vector<Problem> AllProblems = Found.sorted();
  for (const Problem &P : AllProblems)
    print(P, RootDir);
  bool SetupOk = !Found.hasErrors();

  if (BaselineOut) {
    ctx::vet::Baseline::write(*BaselineOut, Findings, RootDir);
    if (!finishStream(*BaselineOut, WriteBaseline, /*Close=*/true))
      return 2;
    size_t N = std::count_if(Findings.begin(), Findings.end(),
                             [](const ctx::vet::Finding &F) { return !F.IsError; });
    errs() << "ctxvet: recorded " << N << " finding(s) in " << WriteBaseline << "\n";
    return SetupOk ? 0 : 2;
  }
  if (!BaselineFile.empty()) {
    size_t Hidden = Accepted.filter(Findings);
    if (Hidden)
      errs() << "ctxvet: " << Hidden << " finding(s) accepted by the baseline not shown\n";
  }

  if (Fix) {
    unsigned Applied = 0;
    SetupOk &= applyFixes(Findings, Sources, RootDir, Applied);
    errs() << "ctxvet: applied " << Applied << " fix(es)\n";
  }

  ctx::vet::ReportInfo Info{RootDir, Checks,
                            std::vector<std::string>(FailedUnits.begin(), FailedUnits.end()),
                            AllProblems};
  auto Write = [&](Format F, raw_ostream &OS) {
    switch (F) {
    case Format::Text:
      ctx::vet::writeText(OS, Findings, Info);
      break;
    case Format::Json:
      ctx::vet::writeJson(OS, Findings, Info);
      break;
    case Format::Sarif:
      ctx::vet::writeSarif(OS, Findings, Info);
      break;
    case Format::CodeQuality:
      ctx::vet::writeCodeQuality(OS, Findings, Info);
      break;
    }
  };
  for (ReportFile &R : Outputs) {
    Write(R.Kind, *R.OS);
    SetupOk &= finishStream(*R.OS, R.Path, /*Close=*/true);
  }
  if (OutputFile.empty()) {
    Write(OutputFormat, outs());
    SetupOk &= finishStream(outs(), "the report to stdout", /*Close=*/false);
  }

  if (!SetupOk)
    return 2;
  bool AnyFinding = std::any_of(Findings.begin(), Findings.end(),
                                [](const ctx::vet::Finding &F) { return !F.IsError; });
  return AnyFinding ? 1 : 0;
}
