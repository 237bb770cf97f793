//===- CtxVet.cpp - Run the context-* checks over a compile database ------===//
//
// The CI entry point: `ctxvet -p BUILD [paths...]`. main() is the five
// phases, each a function in a file of its name:
//
//   1. options               CommandLine.h  parseCommandLine
//   2. translation units     Units.h        loadDatabase, selectUnits
//   3. analysis              Analysis.h     analyse (RunTidy.h per command,
//                                           Config.h for .clang-tidy)
//   4. findings              Findings.h     sortAndDeduplicate, Baseline;
//                            Fix.h          applyFixes
//   5. reports               Output.h       writeReport, printProblems
//
// and `ctxvet --merge` (Merge.h) is phases 4 and 5 over the reports of a
// --shard run's parts.
//
// Exit status: 0 no findings, 1 findings, 2 usage or setup errors (no
// compile database, a path not in it, a TU that does not compile or could
// not be run, a configuration that does not parse, a report that cannot be
// written). Setup errors are reported and the remaining TUs are still
// checked; nothing is printed mid-run (setup errors come at the end, sorted),
// so the progress line is never broken into.
//
//===----------------------------------------------------------------------===//

#include "Analysis.h"
#include "CommandLine.h"
#include "Config.h"
#include "Findings.h"
#include "Fix.h"
#include "Merge.h"
#include "Output.h"
#include "Units.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace ctx::vet;

namespace {

int listChecks() {
  for (const std::string &C : contextCheckNames())
    outs() << C << "\n";
  outs().flush();
  return outs().has_error() ? (outs().clear_error(), 2) : 0;
}

/// --checks must name checks that exist and enable at least one.
bool checkChecksOverride(const Options &O, ConfigCheck &Config, Problems &Found) {
  if (!O.ChecksOverride)
    return true;
  if (Config.enabledBy(*O.ChecksOverride, "", "--checks").empty())
    Found.error("", "no checks enabled by --checks='" + *O.ChecksOverride +
                        "' (ctxvet runs only context-* checks; `ctxvet --list-checks` lists them)");
  if (!Found.hasErrors())
    return true;
  printProblems(Found.sorted(), O.Root);
  return false;
}

/// Phase 4: the findings of every TU as one list, as the reports show it:
/// deduplicated and sorted, without those in --exclude'd files, without
/// those the baseline accepts, and, with --fix, without those fixed.
std::vector<Finding> settleFindings(Analysis &A, const Options &O, Baseline &Accepted,
                                    SourceCache &Sources, Problems &Found) {
  std::vector<Finding> Findings = std::move(A.Findings);
  sortAndDeduplicate(Findings);
  // A TU outside the excluded trees still reports into them through their
  // headers: those findings are dropped too (with their fix-its).
  llvm::erase_if(Findings, [&](const Finding &F) { return isExcluded(F.Loc.File, O); });
  if (!A.DroppedFlags.empty())
    Found.add(droppedFlagsNote(A.DroppedFlags));
  if (!O.BaselineFile.empty())
    if (size_t Hidden = Accepted.filter(Findings))
      errs() << "ctxvet: " << Hidden << " finding(s) accepted by the baseline not shown\n";
  if (O.Fix) {
    FixOutcome Fixed = applyFixes(Findings, Sources, O.Root, Found);
    for (const Finding &F : Fixed.Fixed)
      errs() << "ctxvet: fixed " << relativeTo(F.Loc.File, O.Root) << ":" << F.Loc.Line << ":"
             << F.Loc.Column << ": " << F.Message << " [" << F.Check << "]\n";
    size_t Left = llvm::count_if(Findings, [](const Finding &F) { return !F.IsError; });
    errs() << "ctxvet: applied " << Fixed.Fixed.size() << " fix(es); " << Left
           << " finding(s) remain\n";
  }
  return Findings;
}

} // namespace

int main(int argc, const char **argv) {
  InitLLVM X(argc, argv);

  // 1. Options.
  int Status = 0;
  std::optional<Options> O = parseCommandLine(argc, argv, Status);
  if (!O)
    return Status;
  if (O->Do == Options::Action::ListChecks)
    return listChecks();
  if (O->Do == Options::Action::Merge)
    return mergeReports(*O);
  Problems Found;
  ConfigCheck Config(contextCheckNames(), Found, O->Root);
  if (!checkChecksOverride(*O, Config, Found))
    return 2;

  // 2. Translation units.
  std::unique_ptr<Database> DB = loadDatabase(*O);
  if (!DB)
    return 2;
  std::vector<std::string> Units = selectUnits(*DB, *O, Found);
  // What is read or written besides the code is opened now, so that a bad
  // path fails in a second, not after the whole run.
  Baseline Accepted;
  std::string Error;
  if (!O->BaselineFile.empty() && !Accepted.read(O->BaselineFile, Error)) {
    usageError(Error);
    return 2;
  }
  std::vector<ReportFile> Files;
  if (!openReports(O->WriteBaseline.empty()
                       ? O->Reports
                       : std::vector<ReportRequest>{{Format::Json, O->WriteBaseline, "--write-baseline"}},
                   Files))
    return 2;

  // 3. Analysis.
  SourceCache Sources;
  Analysis A = analyse(Units, *DB, Config, *O, Sources, Found);

  // 4. Findings.
  std::vector<Finding> Findings = settleFindings(A, *O, Accepted, Sources, Found);

  // 5. Reports.
  std::vector<Problem> AllProblems = Found.sorted();
  printProblems(AllProblems, O->Root);
  bool Ok = !Found.hasErrors();
  if (!O->WriteBaseline.empty()) {
    Baseline::write(*Files.front().OS, Findings, O->Root);
    if (!finishStream(*Files.front().OS, O->WriteBaseline, /*Close=*/true))
      return 2;
    errs() << "ctxvet: recorded " << llvm::count_if(Findings, [](const Finding &F) { return !F.IsError; })
           << " finding(s) in " << O->WriteBaseline << "\n";
    return Ok ? 0 : 2;
  }
  ReportInfo Info{O->Root, Config.checks(),
                  std::vector<std::string>(A.FailedUnits.begin(), A.FailedUnits.end()), AllProblems};
  for (ReportFile &F : Files) {
    writeReport(F.Request.Kind, *F.OS, Findings, Info);
    Ok &= finishStream(*F.OS, F.Request.Path, /*Close=*/true);
  }
  if (O->StdoutFormat) {
    writeReport(*O->StdoutFormat, outs(), Findings, Info);
    Ok &= finishStream(outs(), "the report to stdout", /*Close=*/false);
  }
  if (!Ok)
    return 2;
  return llvm::any_of(Findings, [](const Finding &F) { return !F.IsError; }) ? 1 : 0;
}
