//===- Analysis.cpp - The worker pool running clang-tidy per TU -----------===//

#include "Analysis.h"
#include "RunTidy.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <mutex>
#include <thread>

using namespace llvm;
namespace tidy = clang::tidy;
namespace tooling = clang::tooling;

namespace ctx::vet {

namespace {

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

/// One translation unit's results.
struct UnitResult {
  std::vector<Finding> Findings;
  std::set<std::string> Dropped;
  bool Failed = false;
};

/// Runs every compile command of `Unit`.
UnitResult checkUnit(const std::string &Unit, const Database &DB, ConfigCheck &Config,
                     const Options &O, SourceCache &Sources, Problems &Found) {
  UnitResult R;
  std::string Shown = relativeTo(Unit, O.Root);
  bool Explained = false;
  for (tooling::CompileCommand Command : DB.getCompileCommands(Unit)) {
    Command.CommandLine = adjustCommand(Command.CommandLine, O.Adjust, R.Dropped);
    // A physical file system of its own: its working directory (which
    // ClangTool sets per compile command) is per worker, not the process's.
    IntrusiveRefCntPtr<vfs::OverlayFileSystem> FS(
        new vfs::OverlayFileSystem(vfs::createPhysicalFileSystem()));
    // A fresh context per command, owned by this thread: a ClangTidyContext
    // remembers which check owns each custom diagnostic ID, and every run
    // numbers its IDs afresh, so a reused one misattributes diagnostics.
    std::unique_ptr<tidy::ClangTidyOptionsProvider> Owned =
        makeOptionsProvider(Config, O.ChecksOverride, FS);
    tidy::ClangTidyOptionsProvider *Provider = Owned.get();
    tidy::ClangTidyContext Context(std::move(Owned));
    TidyRun Run = runTidy(Context, Command, FS, /*FixesFromNotes=*/O.Fix);

    std::vector<tidy::ClangTidyError> Located;
    bool AnyError = false;
    for (tidy::ClangTidyError &E : Run.Errors) {
      bool IsError = E.DiagLevel == tooling::Diagnostic::Error;
      AnyError |= IsError;
      if (!E.Message.FilePath.empty()) {
        Located.push_back(std::move(E));
      } else if (E.DiagnosticName == "clang-tidy-config") {
        Config.optionComplaint(E.Message.Message, Provider->getRawOptions(Unit), Unit, O.Root);
      } else {
        // No place in the code (a bad compiler flag, ...): about the TU,
        // not a finding with an empty file name.
        Found.add({IsError ? Problem::Error : Problem::Warning, Unit, 0, 0,
                   Shown + (IsError ? " could not be checked: " : ": ") + E.Message.Message + " [" +
                       E.DiagnosticName + "]"});
        Explained |= IsError;
      }
    }
    if (Run.Failed && !AnyError) {
      Found.error(Unit, Shown + " could not be checked: clang stopped without an error message");
      Explained = true;
    }
    R.Failed |= Run.Failed || AnyError;
    for (Finding &F : toFindings(Located, Sources, O.Root))
      R.Findings.push_back(std::move(F));
  }
  if (R.Failed && !Explained)
    Found.error(Unit, Shown + " does not compile; its findings may be incomplete");
  return R;
}

} // namespace

Analysis analyse(const std::vector<std::string> &Units, const Database &DB, ConfigCheck &Config,
                 const Options &O, SourceCache &Sources, Problems &Found) {
  Analysis A;
  Progress Bar(Units.size());
  std::atomic<size_t> Next{0};
  std::mutex ResultsMu;
  auto Work = [&] {
    for (size_t I; (I = Next.fetch_add(1)) < Units.size();) {
      UnitResult R = checkUnit(Units[I], DB, Config, O, Sources, Found);
      {
        std::lock_guard<std::mutex> Lock(ResultsMu);
        if (R.Failed)
          A.FailedUnits.insert(Units[I]);
        A.DroppedFlags.insert(R.Dropped.begin(), R.Dropped.end());
        for (Finding &F : R.Findings)
          A.Findings.push_back(std::move(F));
      }
      Bar.done(Units[I]);
    }
  };
  size_t Workers = std::max<size_t>(1, std::min<size_t>(O.Jobs, Units.size()));
  std::vector<std::thread> Threads;
  for (size_t W = 1; W < Workers; ++W)
    Threads.emplace_back(Work);
  if (!Units.empty())
    Work();
  for (std::thread &T : Threads)
    T.join();
  Bar.finish();
  return A;
}

} // namespace ctx::vet
