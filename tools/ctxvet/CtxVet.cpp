//===- CtxVet.cpp - Run the context-* checks over a compile database ------===//
//
// The CI entry point: `ctxvet -p BUILD [paths...]`. Worker threads take
// translation units from a shared queue and call clang-tidy's library entry
// point (runClangTidy) one TU at a time, each with a ClangTidyContext and
// options provider of its own (neither is thread-safe); the findings are merged,
// sorted and deduplicated only at the end, so the output does not depend on
// scheduling.
//
// Exit status: 0 no findings, 1 findings, 2 usage or setup errors (no
// compile database, a path not in it, a TU that does not compile). Setup
// errors are reported and the remaining TUs are still checked.
//
//===----------------------------------------------------------------------===//

#include "Findings.h"
#include "Options.h"
#include "Output.h"
#include "ToolArgs.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang/Basic/Version.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
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

namespace {

cl::OptionCategory Category("ctxvet options");

cl::opt<std::string> BuildDir("p", cl::desc("Build directory holding compile_commands.json"),
                              cl::value_desc("build-dir"), cl::Required, cl::Prefix, cl::cat(Category));
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
cl::opt<bool> Fix("fix", cl::desc("Apply the reported findings' fix-its"), cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings not recorded in this baseline"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaseline("write-baseline",
                                   cl::desc("Record every current finding in this baseline file and exit 0"),
                                   cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> IgnoreUnlisted("ignore-unlisted",
                              cl::desc("Skip, silently, file arguments that are not in the compile "
                                       "database (for hooks that pass every changed file)"),
                              cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the checks ctxvet runs and exit"),
                         cl::cat(Category));

struct ReportRequest {
  Format Kind;
  std::string Path;
};

std::optional<Format> parseFormat(StringRef Name) {
  return StringSwitch<std::optional<Format>>(Name)
      .Case("text", Format::Text)
      .Case("json", Format::Json)
      .Case("sarif", Format::Sarif)
      .Case("codequality", Format::CodeQuality)
      .Default(std::nullopt);
}

void setupError(const Twine &Message) { errs() << "ctxvet: error: " << Message << "\n"; }

// Two adjustments to every compile command: the system clang's resource
// directory unless the command names one (see tools/common/ToolArgs.h for
// why), and -fno-caret-diagnostics, which also stops each TU from printing
// "N warnings generated." (ctxvet reports the findings itself).
std::unique_ptr<tooling::CompilationDatabase>
adjustCommands(std::unique_ptr<tooling::CompilationDatabase> DB) {
  tooling::ArgumentsAdjuster Adjust = [](const tooling::CommandLineArguments &Args, StringRef) {
    tooling::CommandLineArguments Out = Args;
    size_t At = Out.empty() ? 0 : 1;
    bool HasResourceDir = llvm::any_of(
        Args, [](const std::string &A) { return StringRef(A).starts_with("-resource-dir"); });
    if (!HasResourceDir && sys::fs::is_directory(CTX_CLANG_RESOURCE_DIR))
      Out.insert(Out.begin() + At, std::string("-resource-dir=") + CTX_CLANG_RESOURCE_DIR);
    Out.insert(Out.begin() + At, "-fno-caret-diagnostics");
    return Out;
  };
  auto Adjusted = std::make_unique<tooling::ArgumentsAdjustingCompilations>(std::move(DB));
  Adjusted->appendArgumentsAdjuster(Adjust);
  return Adjusted;
}

/// Expands the command line's paths to translation units of the database.
/// Reports each path that names none; returns false if there was one.
bool selectUnits(const std::vector<std::string> &AllFiles, std::vector<std::string> &Units) {
  if (Paths.empty()) {
    Units = AllFiles;
    return true;
  }
  bool Ok = true;
  std::set<std::string> Chosen;
  for (const std::string &P : Paths) {
    std::string Abs = ctx::vet::normalisePath(P, "");
    if (sys::fs::is_directory(Abs)) {
      std::string Prefix = StringRef(Abs).ends_with("/") ? Abs : Abs + "/";
      size_t Before = Chosen.size();
      for (const std::string &F : AllFiles)
        if (StringRef(F).starts_with(Prefix))
          Chosen.insert(F);
      if (Chosen.size() == Before) {
        setupError("no translation unit of the compile database is under " + P);
        Ok = false;
      }
    } else if (std::find(AllFiles.begin(), AllFiles.end(), Abs) != AllFiles.end()) {
      Chosen.insert(Abs);
    } else if (IgnoreUnlisted) {
      continue;
    } else {
      setupError(P + " is not in the compile database" +
                 (sys::fs::exists(Abs) ? "" : " (and does not exist)"));
      Ok = false;
    }
  }
  Units.assign(Chosen.begin(), Chosen.end());
  return Ok;
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
  void finish() {
    if (Enabled && Done)
      errs() << "\r\x1b[K";
  }
  // Keeps messages printed mid-run from being glued to the progress line.
  std::unique_lock<std::mutex> message() {
    std::unique_lock<std::mutex> Lock(Mu);
    if (Enabled)
      errs() << "\r\x1b[K";
    return Lock;
  }

private:
  std::mutex Mu;
  size_t Total, Done = 0;
  bool Enabled;
};

/// Applies the findings' fix-its file by file. A fix that overlaps one
/// already taken is skipped (with a message), never half-applied.
bool applyFixes(const std::vector<ctx::vet::Finding> &Findings, unsigned &Applied) {
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
      errs() << "ctxvet: note: fix for " << F.Check << " at " << F.Loc.File << ":" << F.Loc.Line
             << " overlaps another fix; not applied\n";
      continue;
    }
    PerFile = std::move(Trial);
    ++Applied;
  }
  for (const auto &[File, Repls] : PerFile) {
    auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true);
    if (!Buf) {
      setupError("cannot read " + File + " to fix it: " + Buf.getError().message());
      Ok = false;
      continue;
    }
    Expected<std::string> Fixed = tooling::applyAllReplacements((*Buf)->getBuffer(), Repls);
    if (!Fixed) {
      setupError("cannot fix " + File + ": " + toString(Fixed.takeError()));
      Ok = false;
      continue;
    }
    std::error_code EC;
    raw_fd_ostream OS(File, EC, sys::fs::OF_Text);
    if (EC) {
      setupError("cannot write " + File + ": " + EC.message());
      Ok = false;
      continue;
    }
    OS << *Fixed;
  }
  return Ok;
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
    return 0;
  }
  if (!BaselineFile.empty() && !WriteBaseline.empty()) {
    setupError("--baseline and --write-baseline exclude each other (rewrite a baseline with "
               "--write-baseline alone)");
    return 2;
  }

  std::vector<ReportRequest> ExtraReports;
  for (const std::string &R : Reports) {
    auto [Name, Path] = StringRef(R).split('=');
    std::optional<Format> Kind = parseFormat(Name);
    if (!Kind || Path.empty()) {
      setupError("--report wants FORMAT=FILE with FORMAT text, json, sarif or codequality, not '" + R + "'");
      return 2;
    }
    ExtraReports.push_back({*Kind, Path.str()});
  }

  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  std::string RootDir = ctx::vet::normalisePath(Root.empty() ? StringRef(Cwd) : StringRef(Root), "");

  SmallString<256> DBPath(ctx::vet::normalisePath(BuildDir, ""));
  sys::path::append(DBPath, "compile_commands.json");
  std::string LoadError;
  std::unique_ptr<tooling::CompilationDatabase> DB = tooling::JSONCompilationDatabase::loadFromFile(
      DBPath, LoadError, tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB) {
    setupError("no compile database at " + DBPath + ": " + LoadError +
               " (configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
    return 2;
  }
  std::vector<std::string> AllFiles;
  for (const std::string &F : DB->getAllFiles())
    AllFiles.push_back(ctx::vet::normalisePath(F, ""));
  std::vector<std::string> Units;
  bool SetupOk = selectUnits(AllFiles, Units);
  DB = adjustCommands(std::move(DB));

  ctx::vet::Baseline Accepted;
  if (!BaselineFile.empty()) {
    std::string Err;
    if (!Accepted.read(BaselineFile, Err)) {
      setupError(Err);
      return 2;
    }
  }

  unsigned Workers = Jobs ? Jobs.getValue() : std::max(1u, std::thread::hardware_concurrency());
  Workers = std::max<size_t>(1, std::min<size_t>(Workers, Units.size()));

  ctx::vet::SourceCache Sources;
  Progress Bar(Units.size());
  std::atomic<size_t> Next{0};
  std::mutex ResultsMu;
  std::vector<ctx::vet::Finding> Findings;
  std::set<std::string> FailedUnits;

  std::optional<std::string> ChecksGlob;
  if (ChecksOverride.getNumOccurrences())
    ChecksGlob = ChecksOverride;
  auto Work = [&] {
    for (size_t I; (I = Next.fetch_add(1)) < Units.size();) {
      const std::string &Unit = Units[I];
      // A fresh context per TU, owned by this thread: a ClangTidyContext
      // remembers which check owns each custom diagnostic ID, and every run
      // numbers its IDs afresh, so a reused one misattributes diagnostics.
      tidy::ClangTidyContext Context(ctx::vet::makeOptionsProvider(Checks, ChecksGlob));
      // A physical file system of its own: its working directory (which
      // ClangTool sets per compile command) is per worker, not the process's.
      IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS(
          new vfs::OverlayFileSystem(vfs::createPhysicalFileSystem()));
      std::vector<tidy::ClangTidyError> Errors =
          tidy::runClangTidy(Context, *DB, {Unit}, FS, /*ApplyAnyFix=*/Fix);
      std::vector<ctx::vet::Finding> Found = ctx::vet::toFindings(Errors, Sources, RootDir);
      bool Failed = false;
      for (const ctx::vet::Finding &F : Found)
        Failed |= F.IsError;
      {
        std::lock_guard<std::mutex> Lock(ResultsMu);
        if (Failed)
          FailedUnits.insert(Unit);
        for (ctx::vet::Finding &F : Found)
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
  for (const std::string &U : FailedUnits) {
    setupError(ctx::vet::relativeTo(U, RootDir) +
               " does not compile; its findings may be incomplete");
    SetupOk = false;
  }

  if (!WriteBaseline.empty()) {
    std::string Err;
    if (!ctx::vet::Baseline::write(WriteBaseline, Findings, RootDir, Err)) {
      setupError(Err);
      return 2;
    }
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
    SetupOk &= applyFixes(Findings, Applied);
    errs() << "ctxvet: applied " << Applied << " fix(es)\n";
  }

  ctx::vet::ReportInfo Info{RootDir, Checks,
                            std::vector<std::string>(FailedUnits.begin(), FailedUnits.end())};
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
  auto WriteFile = [&](Format F, StringRef Path) {
    std::error_code EC;
    raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
    if (EC) {
      setupError("cannot write " + Path + ": " + EC.message());
      return false;
    }
    Write(F, OS);
    return true;
  };
  for (const ReportRequest &R : ExtraReports)
    SetupOk &= WriteFile(R.Kind, R.Path);
  if (OutputFile.empty()) {
    Write(OutputFormat, outs());
    outs().flush();
  } else {
    SetupOk &= WriteFile(OutputFormat, OutputFile);
  }

  if (!SetupOk)
    return 2;
  bool AnyFinding = std::any_of(Findings.begin(), Findings.end(),
                                [](const ctx::vet::Finding &F) { return !F.IsError; });
  return AnyFinding ? 1 : 0;
}
