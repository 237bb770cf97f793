//===- Findings.h - ctxvet's diagnostics, independent of clang-tidy -------===//
//
// A Finding is one clang-tidy diagnostic resolved to file/line/column (the
// workers' ClangTidyErrors carry byte offsets, and the output formats and the
// baseline need lines and the flagged line's text). Findings from all
// translation units are merged here: sorted by location and deduplicated, so
// a header included by many TUs reports once.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_FINDINGS_H
#define CTX_TOOLS_CTXVET_FINDINGS_H

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ctx::vet {

struct Location {
  std::string File; // absolute, normalised
  unsigned Offset = 0;
  unsigned Line = 0, Column = 0; // 1-based; 0 when the file is unreadable
};

struct Note {
  Location Loc;
  std::string Message;
};

struct Finding {
  std::string Check;
  bool IsError = false; // a compiler error, not a check's finding
  Location Loc;
  std::string Message;
  std::vector<Note> Notes;
  std::string LineText; // the flagged line, for the fingerprint
  std::string Fingerprint;
  // The warning's own fix-its (not the notes'), by absolute file path.
  llvm::StringMap<clang::tooling::Replacements> Fix;
};

/// Reads files once and maps offsets to lines; shared by the workers.
class SourceCache {
public:
  /// Line/column (1-based; the column counts bytes, as clang's does) of
  /// `Offset` in `File`, and that line's text.
  bool resolve(const std::string &File, unsigned Offset, unsigned &Line, unsigned &Column,
               std::string *LineText);

private:
  struct Entry {
    bool Ok = false;
    std::string Text;
    std::vector<unsigned> LineStarts;
  };
  std::mutex Mu;
  std::map<std::string, Entry> Files;
};

/// `Path` made absolute against `BuildDir` and with `.`/`..` removed.
std::string normalisePath(llvm::StringRef Path, llvm::StringRef BuildDir);

/// `Path` relative to `Root` when it lies under it, else unchanged.
std::string relativeTo(llvm::StringRef Path, llvm::StringRef Root);

/// Converts one TU's clang-tidy errors.
std::vector<Finding> toFindings(const std::vector<clang::tidy::ClangTidyError> &Errors,
                                SourceCache &Sources, llvm::StringRef Root);

/// Sorts by (file, line, column, check, message) and drops repeats of the
/// same diagnostic at the same place (a header seen from several TUs).
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// The baseline: fingerprints of accepted findings, as a multiset, so two
/// identical findings with only one accepted still report the second.
class Baseline {
public:
  bool read(llvm::StringRef Path, std::string &Error);
  static bool write(llvm::StringRef Path, const std::vector<Finding> &Findings, llvm::StringRef Root,
                    std::string &Error);
  /// Removes the findings the baseline accepts; returns how many.
  size_t filter(std::vector<Finding> &Findings);

private:
  std::map<std::string, unsigned> Counts;
};

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_FINDINGS_H
