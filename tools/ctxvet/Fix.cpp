//===- Fix.cpp - Applying fix-its without half-applying any ---------------===//

#include "Fix.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>

using namespace llvm;
namespace tooling = clang::tooling;

namespace ctx::vet {

namespace {

/// The fixes taken so far, by file, and which findings they came from.
struct Plan {
  std::map<std::string, tooling::Replacements> PerFile;
  std::vector<size_t> Taken; // indices into the findings
};

/// Takes every fix that does not overlap one taken before, skipping the
/// findings in `Skip` (those touching a file that cannot be fixed).
Plan plan(const std::vector<Finding> &Findings, const std::set<size_t> &Skip, StringRef Root,
          bool Say) {
  Plan P;
  for (size_t I = 0; I < Findings.size(); ++I) {
    const Finding &F = Findings[I];
    if (F.Fix.empty() || Skip.count(I))
      continue;
    std::map<std::string, tooling::Replacements> Trial = P.PerFile;
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
      if (Say)
        errs() << "ctxvet: note: fix for " << F.Check << " at " << relativeTo(F.Loc.File, Root) << ":"
               << F.Loc.Line << " overlaps another fix; not applied\n";
      continue;
    }
    P.PerFile = std::move(Trial);
    P.Taken.push_back(I);
  }
  return P;
}

} // namespace

FixOutcome applyFixes(std::vector<Finding> &Findings, SourceCache &Sources, StringRef Root,
                      Problems &Found) {
  FixOutcome Out;
  // First every file's new text, without writing: a file that cannot be
  // fixed drops the findings touching it (in any file), and the plan is
  // made again without them, so no finding is fixed in one file only.
  std::set<size_t> Skip;
  std::map<std::string, std::string> NewText;
  Plan P;
  for (bool Say = true;; Say = false) {
    P = plan(Findings, Skip, Root, Say);
    NewText.clear();
    std::set<std::string> Bad;
    for (const auto &[File, Repls] : P.PerFile) {
      std::string Shown = relativeTo(File, Root);
      auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true);
      if (!Buf) {
        Found.error(File, "cannot read " + Shown + " to fix it: " + Buf.getError().message());
        Bad.insert(File);
        continue;
      }
      StringRef Now = (*Buf)->getBuffer();
      std::optional<std::string> Then = Sources.text(File);
      bool InBounds = llvm::all_of(Repls, [&](const tooling::Replacement &R) {
        return R.getOffset() + R.getLength() <= Now.size();
      });
      if (!InBounds || (Then && *Then != Now)) {
        Found.error(File, Shown + " changed while ctxvet ran; its fixes are not applied (run --fix again)");
        Bad.insert(File);
        continue;
      }
      Expected<std::string> Fixed = tooling::applyAllReplacements(Now, Repls);
      if (!Fixed) {
        Found.error(File, "cannot fix " + Shown + ": " + toString(Fixed.takeError()));
        Bad.insert(File);
        continue;
      }
      NewText[File] = std::move(*Fixed);
    }
    if (Bad.empty())
      break;
    for (size_t I : P.Taken)
      for (const auto &FileFix : Findings[I].Fix)
        if (Bad.count(FileFix.getKey().str()))
          Skip.insert(I);
  }
  Out.Ok = !Skip.size();

  std::set<std::string> Unwritten;
  for (const auto &[File, Text] : NewText) {
    std::string Shown = relativeTo(File, Root);
    std::error_code EC;
    raw_fd_ostream OS(File, EC, sys::fs::OF_Text);
    if (!EC) {
      OS << Text;
      OS.close();
      if (OS.has_error()) {
        EC = OS.error();
        OS.clear_error();
      }
    }
    if (EC) {
      Found.error(File, "cannot write " + Shown + ": " + EC.message());
      Unwritten.insert(File);
      Out.Ok = false;
    }
  }

  std::set<size_t> Fixed;
  for (size_t I : P.Taken) {
    bool Written = llvm::none_of(Findings[I].Fix, [&](const auto &FileFix) {
      return Unwritten.count(FileFix.getKey().str()) > 0;
    });
    if (Written)
      Fixed.insert(I);
  }
  std::vector<Finding> Remaining;
  for (size_t I = 0; I < Findings.size(); ++I)
    (Fixed.count(I) ? Out.Fixed : Remaining).push_back(std::move(Findings[I]));
  Findings = std::move(Remaining);
  return Out;
}

} // namespace ctx::vet
