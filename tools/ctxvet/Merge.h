//===- Merge.h - --merge: the parts of a sharded run as one ---------------===//
//
// `ctxvet --shard=K/N` checks a part of the translation units; --merge reads
// the parts' reports back and writes the report one unsharded run would
// have written: findings deduplicated (a header's finding is in every part
// whose TUs include it) and sorted, setup problems and failed TUs united,
// the dropped-flags note made once. Inputs are all of one kind:
//
//   JSON reports   -> any format (JSON is the complete form)
//   SARIF reports  -> SARIF (SARIF does not record failed TUs or fix-its)
//   baselines      -> a baseline (entries united by place)
//
// Exit status as a run's: 0 no findings, 1 findings, 2 setup problems in
// any part, or an input that cannot be read or merged.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_MERGE_H
#define CTX_TOOLS_CTXVET_MERGE_H

#include "CommandLine.h"

namespace ctx::vet {

int mergeReports(const Options &O);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_MERGE_H
