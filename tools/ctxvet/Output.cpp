//===- Output.cpp - ctxvet's text, JSON and SARIF reports -----------------===//
//
// Locations are files relative to --root (or absolute outside it): `file`
// as text and `uri` percent-encoded. Both JSON and SARIF record the root, so
// --merge (Merge.h) can read them back.
//
//===----------------------------------------------------------------------===//

#include "Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

namespace ctx::vet {

namespace json = llvm::json;

static std::string shown(const Location &L, const ReportInfo &Info) {
  return relativeTo(L.File, Info.Root);
}

void writeText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info) {
  for (const Finding &F : Findings) {
    OS << shown(F.Loc, Info) << ':' << F.Loc.Line << ':' << F.Loc.Column << ": "
       << (F.IsError ? "error" : "warning") << ": " << F.Message << " [" << F.Check << "]\n";
    for (const Note &N : F.Notes) {
      if (!N.Loc.File.empty())
        OS << shown(N.Loc, Info) << ':' << N.Loc.Line << ':' << N.Loc.Column << ": ";
      OS << "note: " << N.Message << "\n";
    }
  }
}

static json::Object location(const Location &L, const ReportInfo &Info) {
  std::string Shown = shown(L, Info);
  return json::Object{
      {"file", Shown}, {"uri", percentEncode(Shown)}, {"line", L.Line}, {"column", L.Column}};
}

// The dropped-flags note's flags, so that --merge can unite the parts'.
static json::Array flagList(const Problem &P) {
  json::Array Flags;
  for (const std::string &F : P.DroppedFlags)
    Flags.push_back(F);
  return Flags;
}

static llvm::StringRef levelName(Problem::Kind K) {
  return K == Problem::Error ? "error" : K == Problem::Warning ? "warning" : "note";
}

void writeJson(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info) {
  json::Array Diags;
  for (const Finding &F : Findings) {
    json::Array Notes;
    for (const Note &N : F.Notes) {
      json::Object O = location(N.Loc, Info);
      O["message"] = N.Message;
      Notes.push_back(std::move(O));
    }
    json::Object O = location(F.Loc, Info);
    O["check"] = F.Check;
    O["level"] = F.IsError ? "error" : "warning";
    O["message"] = F.Message;
    O["notes"] = std::move(Notes);
    O["fingerprint"] = F.Fingerprint;
    O["hasFix"] = F.HasFix;
    Diags.push_back(std::move(O));
  }
  json::Array Failed;
  for (const std::string &U : Info.FailedUnits)
    Failed.push_back(relativeTo(U, Info.Root));
  json::Array Errors;
  for (const Problem &P : Info.Problems) {
    json::Object O{{"level", levelName(P.Level)}, {"message", P.Message}};
    if (!P.File.empty()) {
      std::string Shown = relativeTo(P.File, Info.Root);
      O["file"] = Shown;
      O["uri"] = percentEncode(Shown);
      O["line"] = P.Line;
      O["column"] = P.Column;
    }
    if (!P.DroppedFlags.empty())
      O["droppedFlags"] = flagList(P);
    Errors.push_back(std::move(O));
  }
  OS << llvm::formatv("{0:2}", json::Value(json::Object{{"version", 1},
                                                        {"root", Info.Root},
                                                        {"diagnostics", std::move(Diags)},
                                                        {"failedUnits", std::move(Failed)},
                                                        {"setupProblems", std::move(Errors)}}))
     << "\n";
}

// What each rule is about, for code scanning's rule list. A check this table
// does not know yet still gets a rule (named, without the summary).
static llvm::StringRef ruleSummary(llvm::StringRef Check) {
  return llvm::StringSwitch<llvm::StringRef>(Check)
      .Case("context-lost-cancel", "The cancel function of a derived context is not called on every path")
      .Case("context-stored-in-struct", "A context is stored in a data member")
      .Case("context-first-parameter", "A context parameter is not the first parameter")
      .Case("context-null", "A null context is passed where a context is expected")
      .Case("context-builtin-key", "A context value key has a built-in type")
      .Case("context-todo", "ctx::todo() is a placeholder for a real context")
      .Case("context-derived-in-loop", "A context is derived from itself in a loop, growing its chain")
      .Case("context-stored-in-global", "A context is stored in a global, static or thread-local variable")
      .Case("context-not-inherited", "A root context is started where a context is in scope")
      .Case("context-not-passed", "A context-free call has a context-taking variant and a context is in scope")
      .Case("context-unchecked-loop", "A loop blocks without looking at the context in scope")
      .Default("");
}

// SARIF wants URIs (RFC 3986): relative to SRCROOT when under the root,
// else absolute file:// ones.
static json::Object artifact(llvm::StringRef File, const ReportInfo &Info) {
  std::string Rel = relativeTo(File, Info.Root);
  if (Rel != File)
    return json::Object{{"uri", percentEncode(Rel)}, {"uriBaseId", "SRCROOT"}};
  return json::Object{{"uri", "file://" + percentEncode(File)}};
}

static json::Object physical(const Location &L, const ReportInfo &Info) {
  json::Object Region{{"startLine", std::max(L.Line, 1u)}};
  if (L.Column)
    Region["startColumn"] = L.Column;
  return json::Object{{"artifactLocation", artifact(L.File, Info)}, {"region", std::move(Region)}};
}

// docs/ci.md, next to the docs/checks/ directory CTX_DOCS_URL names.
static std::string informationUri() {
  llvm::StringRef Docs = CTX_DOCS_URL;
  if (Docs.consume_back("checks/"))
    return (Docs + "ci.md").str();
  return Docs.str();
}

void writeSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings, const ReportInfo &Info) {
  llvm::StringMap<unsigned> RuleIndex;
  json::Array Rules;
  auto AddRule = [&](llvm::StringRef Check) {
    if (RuleIndex.count(Check))
      return;
    RuleIndex[Check] = Rules.size();
    json::Object Rule{{"id", Check},
                      {"name", Check},
                      {"defaultConfiguration", json::Object{{"level", "warning"}}}};
    if (Check.starts_with("context-"))
      Rule["helpUri"] = (llvm::Twine(CTX_DOCS_URL) + Check + ".md").str();
    llvm::StringRef Summary = ruleSummary(Check);
    Rule["shortDescription"] = json::Object{{"text", Summary.empty() ? Check : Summary}};
    Rules.push_back(std::move(Rule));
  };
  for (const std::string &C : Info.Checks)
    AddRule(C);

  json::Array Results;
  for (const Finding &F : Findings) {
    AddRule(F.Check); // compile errors (clang-diagnostic-error) too
    json::Array Related;
    unsigned Id = 0;
    for (const Note &N : F.Notes) {
      if (N.Loc.File.empty())
        continue;
      Related.push_back(json::Object{{"id", Id++},
                                     {"physicalLocation", physical(N.Loc, Info)},
                                     {"message", json::Object{{"text", N.Message}}}});
    }
    json::Object Result{
        {"ruleId", F.Check},
        {"ruleIndex", RuleIndex[F.Check]},
        {"level", F.IsError ? "error" : "warning"},
        {"message", json::Object{{"text", F.Message}}},
        {"locations", json::Array{json::Object{{"physicalLocation", physical(F.Loc, Info)}}}},
        // Code scanning matches results across runs with this; it is the
        // same line-shift-proof fingerprint the baseline uses.
        {"partialFingerprints", json::Object{{"ctxvet/v1", F.Fingerprint}}}};
    if (!Related.empty())
      Result["relatedLocations"] = std::move(Related);
    Results.push_back(std::move(Result));
  }

  // What kept ctxvet from checking everything (a TU that does not compile,
  // a broken .clang-tidy, ...) is about the run, not about a line of code.
  json::Array Notifications;
  for (const Problem &P : Info.Problems) {
    json::Object N{{"level", levelName(P.Level)}, {"message", json::Object{{"text", P.Message}}}};
    if (!P.File.empty()) {
      json::Object Where{{"artifactLocation", artifact(P.File, Info)}};
      if (P.Line) {
        json::Object Region{{"startLine", P.Line}};
        if (P.Column)
          Region["startColumn"] = P.Column;
        Where["region"] = std::move(Region);
      }
      N["locations"] = json::Array{json::Object{{"physicalLocation", std::move(Where)}}};
    }
    if (!P.DroppedFlags.empty())
      N["properties"] = json::Object{
          {"droppedFlags", flagList(P)}};
    Notifications.push_back(std::move(N));
  }
  bool Successful = std::none_of(Info.Problems.begin(), Info.Problems.end(),
                                 [](const Problem &P) { return P.Level == Problem::Error; });
  json::Object Invocation{{"executionSuccessful", Successful}};
  if (!Notifications.empty())
    Invocation["toolExecutionNotifications"] = std::move(Notifications);

  std::string RootUri = "file://" + percentEncode(Info.Root);
  if (!llvm::StringRef(RootUri).ends_with("/"))
    RootUri += '/';
  json::Object Driver{{"name", "ctxvet"},
                      {"version", CTX_VERSION},
                      {"informationUri", informationUri()},
                      {"rules", std::move(Rules)}};
  json::Object Run{{"tool", json::Object{{"driver", std::move(Driver)}}},
                   {"originalUriBaseIds",
                    json::Object{{"SRCROOT", json::Object{{"uri", RootUri}}}}},
                   {"invocations", json::Array{std::move(Invocation)}},
                   {"results", std::move(Results)}};
  OS << llvm::formatv(
            "{0:2}",
            json::Value(json::Object{
                {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::Array{std::move(Run)}}}))
     << "\n";
}

void writeCodeQuality(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                      const ReportInfo &Info) {
  json::Array Issues;
  for (const Finding &F : Findings)
    // GitLab wants a path; a path that is not UTF-8 shows with U+FFFD.
    Issues.push_back(json::Object{
        {"description", F.Message},
        {"check_name", F.Check},
        {"fingerprint", F.Fingerprint},
        // GitLab's scale: info, minor, major, critical, blocker.
        {"severity", F.IsError ? "critical" : "major"},
        {"location", json::Object{{"path", relativeTo(F.Loc.File, Info.Root)},
                                  {"lines", json::Object{{"begin", std::max(F.Loc.Line, 1u)}}}}}});
  OS << llvm::formatv("{0:2}", json::Value(std::move(Issues))) << "\n";
}

void writeReport(Format Kind, llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                 const ReportInfo &Info) {
  switch (Kind) {
  case Format::Text:
    return writeText(OS, Findings, Info);
  case Format::Json:
    return writeJson(OS, Findings, Info);
  case Format::Sarif:
    return writeSarif(OS, Findings, Info);
  case Format::CodeQuality:
    return writeCodeQuality(OS, Findings, Info);
  }
}

bool openReports(const std::vector<ReportRequest> &Requests, std::vector<ReportFile> &Files) {
  for (const ReportRequest &R : Requests) {
    std::error_code EC;
    auto OS = std::make_unique<llvm::raw_fd_ostream>(R.Path, EC, llvm::sys::fs::OF_Text);
    if (EC) {
      usageError("cannot write " + R.Path + " (" + R.What + "): " + EC.message());
      return false;
    }
    Files.push_back({R, std::move(OS)});
  }
  return true;
}

bool finishStream(llvm::raw_fd_ostream &OS, const std::string &Name, bool Close) {
  if (Close)
    OS.close();
  else
    OS.flush();
  if (!OS.has_error())
    return true;
  usageError("cannot write " + Name + ": " + OS.error().message());
  OS.clear_error();
  return false;
}

void printProblems(const std::vector<Problem> &Problems, llvm::StringRef Root) {
  for (const Problem &P : Problems) {
    llvm::errs() << "ctxvet: " << levelName(P.Level) << ": ";
    if (!P.File.empty() && P.Line)
      llvm::errs() << relativeTo(P.File, Root) << ":" << P.Line << ":" << P.Column << ": ";
    llvm::errs() << P.Message << "\n";
  }
}

} // namespace ctx::vet
