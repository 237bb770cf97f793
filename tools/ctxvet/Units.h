//===- Units.h - Phase 2: the translation units to check ------------------===//
//
// From the compile database (Database.h) to the list the analysis runs
// over: the command line's files and directories (or every TU), minus
// --exclude, this --shard's part, and the TUs that cannot run at all (gone,
// or their command's directory gone), each of which is a problem.
//
// Shards: the selected TUs, sorted by path, are dealt round-robin: the i-th
// (from 0) goes to part i mod N + 1. Every part computes the same selection
// from the same database and arguments, so the parts are disjoint and
// together are the whole: a stable partition, balanced to one TU.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_UNITS_H
#define CTX_TOOLS_CTXVET_UNITS_H

#include "CommandLine.h"
#include "Database.h"
#include "Findings.h"

#include <memory>
#include <string>
#include <vector>

namespace ctx::vet {

/// Loads the database -p names; null after reporting why it cannot be used
/// (missing, does not parse, lists nothing).
std::unique_ptr<Database> loadDatabase(const Options &O);

/// The translation units this run checks, sorted; what keeps one from
/// being checked is added to `Found`.
std::vector<std::string> selectUnits(const Database &DB, const Options &O, Problems &Found);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_UNITS_H
