//===- Findings.cpp - Resolving, merging and baselining diagnostics -------===//

#include "Findings.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <tuple>

namespace ctx::vet {

SourceCache::Entry &SourceCache::load(const std::string &File) {
  auto [It, Inserted] = Files.try_emplace(File);
  Entry &E = It->second;
  if (Inserted) {
    if (auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/true)) {
      E.Ok = true;
      E.Text = (*Buf)->getBuffer().str();
      E.LineStarts.push_back(0);
      for (size_t I = 0; I < E.Text.size(); ++I)
        if (E.Text[I] == '\n')
          E.LineStarts.push_back(I + 1);
    }
  }
  return E;
}

std::optional<std::string> SourceCache::text(const std::string &File) {
  std::lock_guard<std::mutex> Lock(Mu);
  Entry &E = load(File);
  if (!E.Ok)
    return std::nullopt;
  return E.Text;
}

bool SourceCache::resolve(const std::string &File, unsigned Offset, unsigned &Line,
                          unsigned &Column, std::string *LineText) {
  std::lock_guard<std::mutex> Lock(Mu);
  Entry &E = load(File);
  if (!E.Ok || Offset > E.Text.size())
    return false;
  auto Next = std::upper_bound(E.LineStarts.begin(), E.LineStarts.end(), Offset);
  unsigned Start = *(Next - 1);
  Line = static_cast<unsigned>(Next - E.LineStarts.begin());
  Column = Offset - Start + 1;
  if (LineText) {
    size_t End = E.Text.find('\n', Start);
    *LineText = E.Text.substr(Start, End == std::string::npos ? std::string::npos : End - Start);
  }
  return true;
}

void Problems::add(Problem P) {
  std::lock_guard<std::mutex> Lock(Mu);
  for (const Problem &Q : List)
    if (Q.Level == P.Level && Q.File == P.File && Q.Line == P.Line && Q.Column == P.Column &&
        Q.Message == P.Message)
      return;
  List.push_back(std::move(P));
}

bool Problems::hasErrors() const {
  std::lock_guard<std::mutex> Lock(Mu);
  return std::any_of(List.begin(), List.end(),
                     [](const Problem &P) { return P.Level == Problem::Error; });
}

std::vector<Problem> Problems::sorted() const {
  std::lock_guard<std::mutex> Lock(Mu);
  std::vector<Problem> Out = List;
  // Workers finish in any order; the report must not depend on it.
  std::stable_sort(Out.begin(), Out.end(), [](const Problem &A, const Problem &B) {
    return std::tie(A.File, A.Line, A.Column, A.Message) <
           std::tie(B.File, B.Line, B.Column, B.Message);
  });
  return Out;
}

Problem droppedFlagsNote(const std::set<std::string> &Flags) {
  std::string List;
  for (const std::string &F : Flags)
    List += (List.empty() ? "" : " ") + F;
  Problem P{Problem::Note, "", 0, 0,
            "left out compiler flags clang does not know (from the compile database): " + List +
                " (--keep-unknown-flags passes them on)"};
  P.DroppedFlags = Flags;
  return P;
}

std::string normalisePath(llvm::StringRef Path, llvm::StringRef BuildDir) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P) && !BuildDir.empty()) {
    llvm::SmallString<256> Abs(BuildDir);
    llvm::sys::path::append(Abs, P);
    P = Abs;
  }
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (Path.empty() || llvm::sys::fs::real_path(Path, Real))
    return Path.str();
  return std::string(Real);
}

std::string percentEncode(llvm::StringRef Path) {
  static const char Hex[] = "0123456789ABCDEF";
  std::string Out;
  for (char C : Path) {
    auto B = static_cast<unsigned char>(C);
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C)) {
      Out += C;
    } else {
      Out += '%';
      Out += Hex[B >> 4];
      Out += Hex[B & 15];
    }
  }
  return Out;
}

std::string percentDecode(llvm::StringRef Uri) {
  std::string Out;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size() && llvm::isHexDigit(Uri[I + 1]) &&
        llvm::isHexDigit(Uri[I + 2])) {
      Out += static_cast<char>(llvm::hexFromNibbles(Uri[I + 1], Uri[I + 2]));
      I += 2;
    } else {
      Out += Uri[I];
    }
  }
  return Out;
}

std::string relativeTo(llvm::StringRef Path, llvm::StringRef Root) {
  if (Root.empty())
    return Path.str();
  std::string Prefix = Root.str();
  if (!llvm::StringRef(Prefix).ends_with("/"))
    Prefix += '/';
  if (Path.starts_with(Prefix))
    return Path.drop_front(Prefix.size()).str();
  return Path.str();
}

static Location locate(const clang::tooling::DiagnosticMessage &M, llvm::StringRef BuildDir,
                       SourceCache &Sources, std::string *LineText) {
  Location L;
  if (M.FilePath.empty())
    return L;
  L.File = normalisePath(M.FilePath, BuildDir);
  L.Real = realPath(L.File);
  L.Offset = M.FileOffset;
  Sources.resolve(L.File, L.Offset, L.Line, L.Column, LineText);
  return L;
}

// Line numbers are deliberately left out, so findings keep their identity
// when code above them is added or removed; the flagged line's text (with
// surrounding whitespace trimmed, so re-indenting is not a change) tells
// apart two identical messages in one file.
static std::string fingerprint(const Finding &F, llvm::StringRef Root) {
  std::string Key;
  llvm::raw_string_ostream OS(Key);
  OS << F.Check << '\0' << relativeTo(F.Loc.File, Root) << '\0' << F.Message << '\0'
     << llvm::StringRef(F.LineText).trim();
  OS.flush();
  auto Hash = llvm::SHA1::hash(llvm::arrayRefFromStringRef(Key));
  return llvm::toHex(Hash, /*LowerCase=*/true);
}

std::vector<Finding> toFindings(const std::vector<clang::tidy::ClangTidyError> &Errors,
                                SourceCache &Sources, llvm::StringRef Root) {
  std::vector<Finding> Out;
  for (const clang::tidy::ClangTidyError &E : Errors) {
    Finding F;
    F.Check = E.DiagnosticName;
    F.IsError = E.DiagLevel == clang::tooling::Diagnostic::Error;
    F.Message = E.Message.Message;
    F.Loc = locate(E.Message, E.BuildDirectory, Sources, &F.LineText);
    for (const clang::tooling::DiagnosticMessage &N : E.Notes)
      F.Notes.push_back({locate(N, E.BuildDirectory, Sources, nullptr), N.Message});
    for (const auto &FileFix : E.Message.Fix) {
      std::string Real = realPath(normalisePath(FileFix.getKey(), E.BuildDirectory));
      // The text the offsets refer to, kept so --fix can tell if it changed.
      (void)Sources.text(Real);
      F.Fix[Real] = FileFix.getValue();
    }
    F.HasFix = !F.Fix.empty();
    F.Fingerprint = fingerprint(F, Root);
    Out.push_back(std::move(F));
  }
  return Out;
}

void sortAndDeduplicate(std::vector<Finding> &Findings) {
  // Identity is the real file: one header reached through two spellings of
  // its path (a symlinked directory) is one finding. The spelling kept is
  // the real path if a TU used it, else the smallest, so the report does
  // not depend on which TU ran first.
  // (Line and column are the offset's, or all there is of a place in a
  // merged report.)
  auto Identity = [](const Finding &F) {
    return std::tie(F.Loc.Real, F.Loc.Offset, F.Loc.Line, F.Loc.Column, F.Check, F.Message);
  };
  std::stable_sort(Findings.begin(), Findings.end(), [&](const Finding &A, const Finding &B) {
    bool ASymlinked = A.Loc.File != A.Loc.Real, BSymlinked = B.Loc.File != B.Loc.Real;
    return std::tie(A.Loc.Real, A.Loc.Offset, A.Loc.Line, A.Loc.Column, A.Check, A.Message, ASymlinked,
                    A.Loc.File) < std::tie(B.Loc.Real, B.Loc.Offset, B.Loc.Line, B.Loc.Column, B.Check,
                                           B.Message, BSymlinked, B.Loc.File);
  });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [&](const Finding &A, const Finding &B) {
                               return Identity(A) == Identity(B);
                             }),
                 Findings.end());
  auto Shown = [](const Finding &F) {
    return std::tie(F.Loc.File, F.Loc.Line, F.Loc.Column, F.Check, F.Message);
  };
  std::stable_sort(Findings.begin(), Findings.end(),
                   [&](const Finding &A, const Finding &B) { return Shown(A) < Shown(B); });
}

bool Baseline::read(llvm::StringRef Path, std::string &Error) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read baseline " + Path.str() + ": " + Buf.getError().message();
    return false;
  }
  auto Parsed = llvm::json::parse((*Buf)->getBuffer());
  if (!Parsed) {
    Error = "baseline " + Path.str() + " is not JSON: " + llvm::toString(Parsed.takeError());
    return false;
  }
  const llvm::json::Object *Root = Parsed->getAsObject();
  const llvm::json::Array *List = Root ? Root->getArray("findings") : nullptr;
  if (!List) {
    Error = "baseline " + Path.str() + " has no \"findings\" array (write one with --write-baseline)";
    return false;
  }
  for (const llvm::json::Value &V : *List) {
    const llvm::json::Object *O = V.getAsObject();
    auto FP = O ? O->getString("fingerprint") : std::nullopt;
    if (!FP) {
      Error = "baseline " + Path.str() + ": an entry has no \"fingerprint\"";
      return false;
    }
    ++Counts[FP->str()];
    Entry E;
    E.Fingerprint = FP->str();
    E.Check = O->getString("check").value_or("").str();
    E.File = O->getString("file").value_or("").str();
    E.Message = O->getString("message").value_or("").str();
    E.Line = static_cast<unsigned>(O->getInteger("line").value_or(0));
    E.Column = static_cast<unsigned>(O->getInteger("column").value_or(0));
    Entries.push_back(std::move(E));
  }
  return true;
}

void Baseline::write(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                     llvm::StringRef Root) {
  std::vector<Entry> Entries;
  for (const Finding &F : Findings)
    if (!F.IsError)
      Entries.push_back({F.Fingerprint, F.Check, relativeTo(F.Loc.File, Root), F.Message, F.Loc.Line,
                         F.Loc.Column});
  write(OS, std::move(Entries));
}

void Baseline::write(llvm::raw_ostream &OS, std::vector<Entry> Entries) {
  auto Key = [](const Entry &E) {
    return std::tie(E.File, E.Line, E.Column, E.Check, E.Message, E.Fingerprint);
  };
  std::sort(Entries.begin(), Entries.end(), [&](const Entry &A, const Entry &B) { return Key(A) < Key(B); });
  Entries.erase(std::unique(Entries.begin(), Entries.end(),
                            [&](const Entry &A, const Entry &B) { return Key(A) == Key(B); }),
                Entries.end());
  llvm::json::Array List;
  for (const Entry &E : Entries)
    // Everything but the fingerprint is there for people reviewing the file
    // (and the place, for merging).
    List.push_back(llvm::json::Object{{"fingerprint", E.Fingerprint},
                                      {"check", E.Check},
                                      {"file", E.File},
                                      {"line", E.Line},
                                      {"column", E.Column},
                                      {"message", E.Message}});
  OS << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object{
                                   {"version", 1}, {"findings", std::move(List)}}))
     << "\n";
}

size_t Baseline::filter(std::vector<Finding> &Findings) {
  size_t Before = Findings.size();
  std::map<std::string, unsigned> Left = Counts;
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [&](const Finding &F) {
                                  auto It = Left.find(F.Fingerprint);
                                  if (F.IsError || It == Left.end() || It->second == 0)
                                    return false;
                                  --It->second;
                                  return true;
                                }),
                 Findings.end());
  return Before - Findings.size();
}

} // namespace ctx::vet
