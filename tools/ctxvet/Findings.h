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
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ctx::vet {

struct Location {
  std::string File; // absolute, normalised, as spelled by the compile command
  std::string Real; // File with symlinks resolved: the file's identity
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
  // The warning's own fix-its (not the notes'), by real path: one file
  // reached by two spellings (a symlinked directory) is one file to fix.
  llvm::StringMap<clang::tooling::Replacements> Fix;
  bool HasFix = false; // Fix is not empty (or was, in a merged report)
};

/// Something that kept ctxvet from checking all it was asked to (exit 2), or
/// a warning about the setup: not a finding in the code. Printed on stderr,
/// and in SARIF as a tool execution notification rather than a result.
struct Problem {
  enum Kind { Error, Warning, Note } Level = Error;
  std::string File;              // what it is about, absolute; may be empty
  unsigned Line = 0, Column = 0; // 1-based; 0 when not known
  std::string Message;           // names the file itself when Line is 0
  std::set<std::string> DroppedFlags; // for the note listing them (droppedFlagsNote)
};

/// The note saying which compiler flags were left out (the union of every
/// TU's, or every part's when merging).
Problem droppedFlagsNote(const std::set<std::string> &Flags);

/// The problems of one run, from every worker: deduplicated (a broken
/// .clang-tidy is met by every TU under it) and sorted on the way out.
class Problems {
public:
  void add(Problem P);
  void error(const std::string &File, const std::string &Message) {
    add({Problem::Error, File, 0, 0, Message});
  }
  bool hasErrors() const;
  std::vector<Problem> sorted() const;

private:
  mutable std::mutex Mu;
  std::vector<Problem> List;
};

/// Reads files once and maps offsets to lines; shared by the workers.
class SourceCache {
public:
  /// The file's text as it was when first read (for --fix to tell whether it
  /// changed since the analysis), or nullopt if unreadable.
  std::optional<std::string> text(const std::string &File);

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
  Entry &load(const std::string &File); // with Mu held
  std::mutex Mu;
  std::map<std::string, Entry> Files;
};

/// `Path` made absolute against `BuildDir` and with `.`/`..` removed.
std::string normalisePath(llvm::StringRef Path, llvm::StringRef BuildDir);

/// `Path` with symlinks resolved, or `Path` itself when it does not exist.
std::string realPath(llvm::StringRef Path);

/// `Path` relative to `Root` when it lies under it, else unchanged.
std::string relativeTo(llvm::StringRef Path, llvm::StringRef Root);

/// RFC 3986 percent-encoding of a path: bytes other than unreserved
/// characters and `/` become %XX, so any byte string survives (SARIF URIs,
/// JSON's lossless `uri`).
std::string percentEncode(llvm::StringRef Path);
/// Its inverse (a `%` not followed by two hex digits stays as it is).
std::string percentDecode(llvm::StringRef Uri);

/// Converts one TU's clang-tidy errors.
std::vector<Finding> toFindings(const std::vector<clang::tidy::ClangTidyError> &Errors,
                                SourceCache &Sources, llvm::StringRef Root);

/// Sorts by (file, line, column, check, message) and drops repeats of the
/// same diagnostic at the same place of the same real file (a header seen
/// from several TUs, or several --shard parts, by one or several spellings
/// of its path).
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// The baseline: fingerprints of accepted findings, as a multiset, so two
/// identical findings with only one accepted still report the second.
/// Each entry also says where the finding was (file, line, column), for
/// people reviewing the file and for merging the baselines of --shard parts
/// (a header's finding is in several); reading uses the fingerprint alone.
class Baseline {
public:
  struct Entry {
    std::string Fingerprint, Check, File, Message;
    unsigned Line = 0, Column = 0;
  };
  bool read(llvm::StringRef Path, std::string &Error);
  static void write(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                    llvm::StringRef Root);
  /// Sorted by place, without repeats.
  static void write(llvm::raw_ostream &OS, std::vector<Entry> Entries);
  const std::vector<Entry> &entries() const { return Entries; }
  /// Removes the findings the baseline accepts; returns how many.
  size_t filter(std::vector<Finding> &Findings);

private:
  std::map<std::string, unsigned> Counts;
  std::vector<Entry> Entries;
};

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_FINDINGS_H
