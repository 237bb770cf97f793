//===- Output.h - Phase 5: ctxvet's reports -------------------------------===//
//
// The report formats (text, JSON, SARIF, GitLab code quality), the report
// files (opened before the analysis, so that a path that cannot be written
// fails in a second, not after the whole run), and the problems on stderr.
// JSON is the complete form: --merge turns JSON parts into any format.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_OUTPUT_H
#define CTX_TOOLS_CTXVET_OUTPUT_H

#include "CommandLine.h"
#include "Findings.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace ctx::vet {

struct ReportInfo {
  std::string Root;                      // paths are reported relative to it
  std::vector<std::string> Checks;       // every context-* check (SARIF rules)
  std::vector<std::string> FailedUnits;  // TUs with compile errors
  std::vector<Problem> Problems;         // setup errors and warnings, sorted
};

/// clang's own layout: `file:line:col: warning: message [check]`, then the
/// notes as `file:line:col: note: message`.
void writeText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info);
/// Locations have `file` (text: bytes that are not UTF-8 show as U+FFFD) and
/// `uri` (the same path percent-encoded, byte for byte).
void writeJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info);
/// SARIF 2.1.0 as GitHub code scanning ingests it. Problems go to
/// runs[].invocations[].toolExecutionNotifications, not to results.
void writeSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info);

/// GitLab's code quality report (a subset of Code Climate's format).
void writeCodeQuality(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                      const ReportInfo &Info);

/// The report in `Kind`.
void writeReport(Format Kind, llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                 const ReportInfo &Info);

/// A report file, open for writing.
struct ReportFile {
  ReportRequest Request;
  std::unique_ptr<llvm::raw_fd_ostream> OS;
};
/// Opens every file `Requests` names; false (said why) if one cannot be.
bool openReports(const std::vector<ReportRequest> &Requests, std::vector<ReportFile> &Files);
/// Flushes (and closes) a written stream; an I/O error (a full disk,
/// /dev/full) is a setup error said on stderr, never LLVM's "IO failure"
/// abort (status 1, which would read as "findings").
bool finishStream(llvm::raw_fd_ostream &OS, const std::string &Name, bool Close);

/// The problems on stderr, `ctxvet: error: file:line:col: message`.
void printProblems(const std::vector<Problem> &Problems, llvm::StringRef Root);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_OUTPUT_H
