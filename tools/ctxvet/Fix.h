//===- Fix.h - Phase 4, with --fix: applying the findings' fix-its --------===//
//
// Fix-its are applied file by file (files by real path). A fix that
// overlaps one already taken is skipped, never half-applied, and so is every
// fix of a file that changed since it was analysed, or cannot be read or
// written. The findings whose fixes were all applied are fixed; the others
// remain, and are what the reports then show.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_FIX_H
#define CTX_TOOLS_CTXVET_FIX_H

#include "Findings.h"

#include <vector>

namespace ctx::vet {

struct FixOutcome {
  std::vector<Finding> Fixed;
  bool Ok = true; // false: a file could not be fixed (a setup error, said why)
};

/// Applies the fix-its of `Findings` and moves the fixed findings out of it:
/// what stays in `Findings` is what remains to be done by hand.
FixOutcome applyFixes(std::vector<Finding> &Findings, SourceCache &Sources, llvm::StringRef Root,
                      Problems &Found);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_FIX_H
