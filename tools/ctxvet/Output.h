//===- Output.h - ctxvet's text, JSON and SARIF reports -------------------===//

#ifndef CTX_TOOLS_CTXVET_OUTPUT_H
#define CTX_TOOLS_CTXVET_OUTPUT_H

#include "Findings.h"
#include "llvm/Support/raw_ostream.h"

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

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_OUTPUT_H
