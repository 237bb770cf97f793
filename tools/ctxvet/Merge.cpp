//===- Merge.cpp - Reading reports back and writing them as one -----------===//

#include "Merge.h"
#include "Config.h"
#include "Findings.h"
#include "Output.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace llvm;

namespace ctx::vet {

namespace {

enum class Kind { Json, Sarif, Baseline };

const char *kindName(Kind K) {
  return K == Kind::Json ? "a JSON report" : K == Kind::Sarif ? "a SARIF report" : "a baseline";
}

/// What the parts say, put together.
struct Merged {
  std::optional<Kind> Of;
  std::optional<std::string> Root;
  std::vector<Finding> Findings;
  std::vector<Problem> Problems;
  std::set<std::string> FailedUnits;
  std::set<std::string> DroppedFlags;
  std::vector<Baseline::Entry> Entries;
};

/// A reported path back to the absolute one (relative paths are relative
/// to the root).
std::string absolute(StringRef Path, StringRef Root) {
  if (Path.empty() || sys::path::is_absolute(Path))
    return Path.str();
  SmallString<256> Abs(Root);
  sys::path::append(Abs, Path);
  return std::string(Abs);
}

/// The same from a `uri`, which holds the path's bytes percent-encoded.
std::string fromUri(StringRef Uri, StringRef Root) { return absolute(percentDecode(Uri), Root); }

unsigned number(const json::Object *O, StringRef Key) {
  return O ? static_cast<unsigned>(O->getInteger(Key).value_or(0)) : 0;
}

std::string text(const json::Object *O, StringRef Key) {
  return O ? O->getString(Key).value_or("").str() : "";
}

Problem::Kind level(StringRef Name) {
  return Name == "error" ? Problem::Error : Name == "warning" ? Problem::Warning : Problem::Note;
}

void addProblem(Merged &M, Problem P, const json::Array *Flags) {
  if (Flags) {
    // The dropped-flags note is made once, from every part's flags.
    for (const json::Value &F : *Flags)
      if (auto S = F.getAsString())
        M.DroppedFlags.insert(S->str());
    return;
  }
  M.Problems.push_back(std::move(P));
}

bool readJson(const json::Object &Doc, Merged &M, std::string &Error) {
  std::string Root = text(&Doc, "root");
  if (Root.empty()) {
    Error = "has no \"root\" (written by an older ctxvet? run it again)";
    return false;
  }
  if (M.Root && *M.Root != Root) {
    Error = "was made with --root " + Root + ", another part with " + *M.Root +
            " (run every part with the same --root)";
    return false;
  }
  M.Root = Root;
  auto Where = [&](const json::Object *O) {
    Location L;
    L.File = L.Real = fromUri(text(O, "uri"), Root);
    L.Line = number(O, "line");
    L.Column = number(O, "column");
    return L;
  };
  if (const json::Array *Diags = Doc.getArray("diagnostics"))
    for (const json::Value &V : *Diags) {
      const json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Finding F;
      F.Check = text(O, "check");
      F.IsError = text(O, "level") == "error";
      F.Message = text(O, "message");
      F.Loc = Where(O);
      F.Fingerprint = text(O, "fingerprint");
      F.HasFix = O->getBoolean("hasFix").value_or(false);
      if (const json::Array *Notes = O->getArray("notes"))
        for (const json::Value &N : *Notes)
          F.Notes.push_back({Where(N.getAsObject()), text(N.getAsObject(), "message")});
      M.Findings.push_back(std::move(F));
    }
  if (const json::Array *Failed = Doc.getArray("failedUnits"))
    for (const json::Value &V : *Failed)
      if (auto S = V.getAsString())
        M.FailedUnits.insert(absolute(*S, Root));
  if (const json::Array *Problems = Doc.getArray("setupProblems"))
    for (const json::Value &V : *Problems) {
      const json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Problem P{level(text(O, "level")), fromUri(text(O, "uri"), Root), number(O, "line"),
                number(O, "column"), text(O, "message")};
      addProblem(M, std::move(P), O->getArray("droppedFlags"));
    }
  return true;
}

/// A SARIF artifactLocation (and region) back to a place.
Location sarifPlace(const json::Object *Physical, StringRef Root) {
  Location L;
  const json::Object *Artifact = Physical ? Physical->getObject("artifactLocation") : nullptr;
  StringRef Uri = Artifact ? Artifact->getString("uri").value_or("") : "";
  if (Uri.consume_front("file://"))
    L.File = percentDecode(Uri);
  else
    L.File = fromUri(Uri, Root);
  L.Real = L.File;
  const json::Object *Region = Physical ? Physical->getObject("region") : nullptr;
  L.Line = number(Region, "startLine");
  L.Column = number(Region, "startColumn");
  return L;
}

bool readSarif(const json::Object &Doc, Merged &M, std::string &Error) {
  const json::Array *Runs = Doc.getArray("runs");
  const json::Object *Run = Runs && Runs->size() == 1 ? (*Runs)[0].getAsObject() : nullptr;
  const json::Object *Bases = Run ? Run->getObject("originalUriBaseIds") : nullptr;
  const json::Object *SrcRoot = Bases ? Bases->getObject("SRCROOT") : nullptr;
  StringRef RootUri = SrcRoot ? SrcRoot->getString("uri").value_or("") : "";
  if (!RootUri.consume_front("file://")) {
    Error = "is not one run of ctxvet (no runs[0].originalUriBaseIds.SRCROOT)";
    return false;
  }
  std::string Root = percentDecode(RootUri);
  if (Root.size() > 1 && StringRef(Root).ends_with("/"))
    Root.pop_back();
  if (M.Root && *M.Root != Root) {
    Error = "was made with --root " + Root + ", another part with " + *M.Root +
            " (run every part with the same --root)";
    return false;
  }
  M.Root = Root;
  if (const json::Array *Results = Run->getArray("results"))
    for (const json::Value &V : *Results) {
      const json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Finding F;
      F.Check = text(O, "ruleId");
      F.IsError = text(O, "level") == "error";
      F.Message = text(O->getObject("message"), "text");
      const json::Array *Locs = O->getArray("locations");
      const json::Object *First = Locs && !Locs->empty() ? (*Locs)[0].getAsObject() : nullptr;
      F.Loc = sarifPlace(First ? First->getObject("physicalLocation") : nullptr, Root);
      F.Fingerprint = text(O->getObject("partialFingerprints"), "ctxvet/v1");
      if (const json::Array *Related = O->getArray("relatedLocations"))
        for (const json::Value &R : *Related) {
          const json::Object *RO = R.getAsObject();
          if (RO)
            F.Notes.push_back({sarifPlace(RO->getObject("physicalLocation"), Root),
                               text(RO->getObject("message"), "text")});
        }
      M.Findings.push_back(std::move(F));
    }
  const json::Array *Invocations = Run->getArray("invocations");
  const json::Object *Invocation =
      Invocations && !Invocations->empty() ? (*Invocations)[0].getAsObject() : nullptr;
  if (const json::Array *Notes = Invocation ? Invocation->getArray("toolExecutionNotifications") : nullptr)
    for (const json::Value &V : *Notes) {
      const json::Object *O = V.getAsObject();
      if (!O)
        continue;
      Problem P{level(text(O, "level")), "", 0, 0, text(O->getObject("message"), "text")};
      const json::Array *Locs = O->getArray("locations");
      if (Locs && !Locs->empty())
        if (const json::Object *L = (*Locs)[0].getAsObject()) {
          Location Place = sarifPlace(L->getObject("physicalLocation"), Root);
          P.File = Place.File;
          P.Line = Place.Line;
          P.Column = Place.Column;
        }
      const json::Object *Props = O->getObject("properties");
      addProblem(M, std::move(P), Props ? Props->getArray("droppedFlags") : nullptr);
    }
  return true;
}

/// Reads one part into `M`; false with `Error` (without the file name).
bool readPart(StringRef Path, Merged &M, std::string &Error) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot be read: " + Buf.getError().message();
    return false;
  }
  Expected<json::Value> Doc = json::parse((*Buf)->getBuffer());
  if (!Doc) {
    Error = "is not JSON: " + toString(Doc.takeError());
    return false;
  }
  const json::Object *O = Doc->getAsObject();
  Kind K;
  if (O && O->get("runs"))
    K = Kind::Sarif;
  else if (O && O->get("diagnostics"))
    K = Kind::Json;
  else if (O && O->get("findings"))
    K = Kind::Baseline;
  else {
    Error = "is not a ctxvet JSON or SARIF report or a baseline";
    return false;
  }
  if (M.Of && *M.Of != K) {
    Error = std::string("is ") + kindName(K) + ", the parts before it " + kindName(*M.Of) +
            " (merge one kind at a time)";
    return false;
  }
  M.Of = K;
  if (K == Kind::Baseline) {
    Baseline B;
    if (!B.read(Path, Error))
      return false;
    M.Entries.insert(M.Entries.end(), B.entries().begin(), B.entries().end());
    return true;
  }
  return K == Kind::Json ? readJson(*O, M, Error) : readSarif(*O, M, Error);
}

} // namespace

int mergeReports(const Options &O) {
  Merged M;
  for (const std::string &Part : O.Paths) {
    std::string Error;
    if (!readPart(Part, M, Error)) {
      // Baseline::read names the file itself.
      usageError(StringRef(Error).starts_with("baseline ") ? Error : Part + " " + Error);
      return 2;
    }
  }

  std::vector<ReportRequest> Outputs = O.Reports;
  std::optional<Format> ToStdout = O.StdoutFormat;
  if (*M.Of == Kind::Baseline) {
    bool Other = llvm::any_of(O.Reports, [](const ReportRequest &R) { return R.What != "-o"; });
    if (O.FormatGiven || Other) {
      usageError("merged baselines are a baseline: --format and --report do not apply");
      return 2;
    }
    if (!Outputs.empty()) {
      std::vector<ReportFile> Files;
      if (!openReports(Outputs, Files))
        return 2;
      Baseline::write(*Files.front().OS, M.Entries);
      return finishStream(*Files.front().OS, Files.front().Request.Path, /*Close=*/true) ? 0 : 2;
    }
    Baseline::write(outs(), M.Entries);
    return finishStream(outs(), "the baseline to stdout", /*Close=*/false) ? 0 : 2;
  }

  // Without --format, what was read is what is written.
  Format Same = *M.Of == Kind::Json ? Format::Json : Format::Sarif;
  if (!O.FormatGiven) {
    for (ReportRequest &R : Outputs)
      if (R.What == "-o")
        R.Kind = Same;
    if (ToStdout)
      ToStdout = Same;
  }
  if (*M.Of == Kind::Sarif) {
    auto NotSarif = [](const ReportRequest &R) { return R.Kind != Format::Sarif; };
    if ((ToStdout && *ToStdout != Format::Sarif) || llvm::any_of(Outputs, NotSarif)) {
      usageError("SARIF parts merge into SARIF only (SARIF does not record failed translation units "
                 "or fix-its); merge the parts' JSON reports for other formats");
      return 2;
    }
  }

  Problems Found;
  for (Problem &P : M.Problems)
    Found.add(std::move(P));
  if (!M.DroppedFlags.empty())
    Found.add(droppedFlagsNote(M.DroppedFlags));
  sortAndDeduplicate(M.Findings);
  ReportInfo Info{*M.Root, contextCheckNames(),
                  std::vector<std::string>(M.FailedUnits.begin(), M.FailedUnits.end()), Found.sorted()};
  std::vector<ReportFile> Files;
  if (!openReports(Outputs, Files))
    return 2;
  bool Ok = true;
  for (ReportFile &F : Files) {
    writeReport(F.Request.Kind, *F.OS, M.Findings, Info);
    Ok &= finishStream(*F.OS, F.Request.Path, /*Close=*/true);
  }
  if (ToStdout) {
    writeReport(*ToStdout, outs(), M.Findings, Info);
    Ok &= finishStream(outs(), "the report to stdout", /*Close=*/false);
  }
  if (!Ok || Found.hasErrors())
    return 2;
  return llvm::any_of(M.Findings, [](const Finding &F) { return !F.IsError; }) ? 1 : 0;
}

} // namespace ctx::vet
