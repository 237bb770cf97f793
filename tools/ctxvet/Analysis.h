//===- Analysis.h - Phase 3: the checks over every translation unit -------===//
//
// Worker threads take translation units from a shared queue and run
// clang-tidy's checks (RunTidy.h) one compile command at a time, each with a
// ClangTidyContext and options provider of its own (neither is
// thread-safe). Nothing is printed while it runs but the progress line on a
// terminal: what goes wrong is collected as problems, and the findings are
// merged, sorted and deduplicated only afterwards (Findings.h), so the
// output does not depend on scheduling.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_ANALYSIS_H
#define CTX_TOOLS_CTXVET_ANALYSIS_H

#include "CommandLine.h"
#include "Config.h"
#include "Database.h"
#include "Findings.h"

#include <set>
#include <string>
#include <vector>

namespace ctx::vet {

struct Analysis {
  std::vector<Finding> Findings;       // from every TU, not yet deduplicated
  std::set<std::string> FailedUnits;   // TUs that did not compile or run
  std::set<std::string> DroppedFlags;  // compiler flags left out (unknown to clang)
};

/// Runs the checks over `Units` with O.Jobs threads.
Analysis analyse(const std::vector<std::string> &Units, const Database &DB, ConfigCheck &Config,
                 const Options &O, SourceCache &Sources, Problems &Found);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_ANALYSIS_H
