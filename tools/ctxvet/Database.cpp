//===- Database.cpp - Loading and resolving compile_commands.json ---------===//

#include "Database.h"
#include "Findings.h"

#include "clang/Basic/Version.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#if CLANG_VERSION_MAJOR >= 22
#include "clang/Options/Options.h"
#else
#include "clang/Driver/Options.h"
#endif
#include "llvm/ADT/StringExtras.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/VirtualFileSystem.h"

using namespace llvm;
namespace tooling = clang::tooling;

namespace ctx::vet {

namespace {

/// The commands as a database, for clang's wrappers to work on.
class CommandList : public tooling::CompilationDatabase {
public:
  explicit CommandList(std::vector<tooling::CompileCommand> Commands)
      : Commands(std::move(Commands)) {}
  std::vector<tooling::CompileCommand> getCompileCommands(StringRef File) const override {
    std::vector<tooling::CompileCommand> Out;
    for (const tooling::CompileCommand &C : Commands)
      if (C.Filename == File)
        Out.push_back(C);
    return Out;
  }
  std::vector<std::string> getAllFiles() const override {
    std::vector<std::string> Out;
    for (const tooling::CompileCommand &C : Commands)
      Out.push_back(C.Filename);
    return Out;
  }
  std::vector<tooling::CompileCommand> getAllCompileCommands() const override { return Commands; }

private:
  std::vector<tooling::CompileCommand> Commands;
};

/// Why `Text` is not a compile database, as "PATH:LINE:COL: reason" when
/// the JSON does not parse, else which entry is wrong; empty if it is fine.
/// (clang's reader parses it as YAML, which takes a truncated file as a
/// shorter list, so strict JSON is checked first. File names need not be
/// UTF-8, so bytes that are not are replaced for this check; a line stays
/// a line.)
std::string jsonProblem(StringRef Path, StringRef Text) {
  Expected<json::Value> Parsed = json::parse(json::isUTF8(Text) ? Text.str() : json::fixUTF8(Text));
  if (!Parsed) {
    // llvm::json reports "[LINE:COL, byte=N]: reason".
    std::string Message = toString(Parsed.takeError());
    SmallVector<StringRef, 4> M;
    if (Regex("^\\[([0-9]+):([0-9]+), byte=[0-9]+\\]: (.*)$").match(Message, &M))
      return (Path + ":" + M[1] + ":" + M[2] + ": " + M[3]).str();
    return (Path + ": " + Message).str();
  }
  const json::Array *Entries = Parsed->getAsArray();
  if (!Entries)
    return (Path + ": expected a JSON array of compile commands").str();
  for (size_t I = 0; I < Entries->size(); ++I) {
    const json::Object *O = (*Entries)[I].getAsObject();
    std::string Which = "entry " + std::to_string(I + 1);
    if (!O)
      return (Path + ": " + Which + " is not a JSON object").str();
    if (!O->get("file"))
      return (Path + ": " + Which + " has no \"file\"").str();
    if (!O->get("directory"))
      return (Path + ": " + Which + " has no \"directory\"").str();
    if (!O->get("command") && !O->get("arguments"))
      return (Path + ": " + Which + " has neither \"command\" nor \"arguments\"").str();
  }
  return "";
}

} // namespace

std::unique_ptr<Database> Database::load(StringRef BuildPath, std::string &Error) {
  // -p names the build directory or, as clang-tidy also takes it, the
  // database file itself (any name: compile_commands.json, a merged one).
  std::string Given = normalisePath(BuildPath, "");
  SmallString<256> File(Given);
  std::string Dir = Given;
  const char *Hint = " (configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)";
  if (sys::fs::is_regular_file(Given)) {
    Dir = sys::path::parent_path(Given).str();
  } else if (!sys::fs::is_directory(Given)) {
    Error = "no build directory or compile database " + BuildPath.str();
    return nullptr;
  } else {
    sys::path::append(File, "compile_commands.json");
    if (!sys::fs::exists(File)) {
      Error = "no compile database at " + std::string(File) + Hint;
      return nullptr;
    }
  }
  auto Buf = MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read " + std::string(File) + ": " + Buf.getError().message();
    return nullptr;
  }
  const char *Regenerate = " (regenerate it: re-run cmake)";
  std::string Problem = jsonProblem(File, (*Buf)->getBuffer());
  std::string ReaderError;
  std::unique_ptr<tooling::JSONCompilationDatabase> JSON;
  if (Problem.empty())
    JSON = tooling::JSONCompilationDatabase::loadFromBuffer(
        (*Buf)->getBuffer(), ReaderError, tooling::JSONCommandLineSyntax::AutoDetect);
  if (!JSON) {
    Error = "cannot parse the compile database " +
            (Problem.empty() ? std::string(File) + ": " + ReaderError : Problem) + Regenerate;
    return nullptr;
  }

  std::vector<tooling::CompileCommand> Resolved = JSON->getAllCompileCommands();
  for (tooling::CompileCommand &C : Resolved) {
    C.Directory = normalisePath(C.Directory, Dir);
    C.Filename = normalisePath(C.Filename, C.Directory);
  }
  // What clang-tidy's own loader does on top of the JSON: @response files
  // expanded, the compiler found, --target/--driver-mode from its name.
  std::unique_ptr<tooling::CompilationDatabase> Chain = tooling::inferTargetAndDriverMode(
      tooling::inferToolLocation(tooling::expandResponseFiles(
          std::make_unique<CommandList>(std::move(Resolved)), vfs::getRealFileSystem())));

  auto DB = std::unique_ptr<Database>(new Database());
  DB->Path = std::string(File);
  DB->Commands = Chain->getAllCompileCommands();
  for (size_t I = 0; I < DB->Commands.size(); ++I)
    DB->ByFile[DB->Commands[I].Filename].push_back(I);
  for (const auto &[Spelling, _] : DB->ByFile)
    DB->ByReal.emplace(realPath(Spelling), Spelling);
  return DB;
}

std::vector<tooling::CompileCommand> Database::getCompileCommands(StringRef File) const {
  std::vector<tooling::CompileCommand> Out;
  auto It = ByFile.find(find(File));
  if (It != ByFile.end())
    for (size_t I : It->second)
      Out.push_back(Commands[I]);
  return Out;
}

std::vector<std::string> Database::getAllFiles() const {
  std::vector<std::string> Out;
  for (const auto &[Spelling, _] : ByFile)
    Out.push_back(Spelling);
  return Out;
}

std::string Database::find(StringRef Path) const {
  std::string Abs = normalisePath(Path, "");
  if (ByFile.count(Abs))
    return Abs;
  auto It = ByReal.find(realPath(Abs));
  return It == ByReal.end() ? std::string() : It->second;
}

std::vector<std::string> Database::filesUnder(StringRef Dir) const {
  auto Under = [](StringRef Path, StringRef D) {
    std::string Prefix = D.ends_with("/") ? D.str() : D.str() + "/";
    return Path.starts_with(Prefix);
  };
  std::string Abs = normalisePath(Dir, "");
  std::string Real = realPath(Abs);
  std::set<std::string> Out;
  for (const auto &[Spelling, _] : ByFile)
    if (Under(Spelling, Abs))
      Out.insert(Spelling);
  for (const auto &[RealFile, Spelling] : ByReal)
    if (Under(RealFile, Real))
      Out.insert(Spelling);
  return std::vector<std::string>(Out.begin(), Out.end());
}

std::vector<std::string> adjustCommand(const std::vector<std::string> &Args,
                                       const CommandAdjustments &Adjust,
                                       std::set<std::string> &Dropped) {
  if (Args.empty())
    return Args;
  std::vector<std::string> Kept{Args[0]};
  bool ClMode = sys::path::stem(Args[0]).ends_with_insensitive("cl") ||
                llvm::any_of(Args, [](StringRef A) { return A.starts_with("--driver-mode=cl"); });
  if (Adjust.DropUnknownFlags && !ClMode) {
    // Parsed as clang's driver parses them: what it would reject as an
    // "unknown argument" is left out. (clang-cl spells its options
    // differently; its commands are left alone.)
    std::vector<const char *> Argv;
    for (size_t I = 1; I < Args.size(); ++I)
      Argv.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
#if CLANG_VERSION_MAJOR >= 22
    const opt::OptTable &Table = clang::getDriverOptTable();
#else
    const opt::OptTable &Table = clang::driver::getDriverOptTable();
#endif
    opt::InputArgList Parsed = Table.ParseArgs(Argv, MissingIndex, MissingCount);
    std::vector<bool> Drop(Argv.size(), false);
    for (const opt::Arg *A : Parsed)
      if (A->getOption().getKind() == opt::Option::UnknownClass) {
        Drop[A->getIndex()] = true;
        Dropped.insert(Argv[A->getIndex()]);
      }
    for (size_t I = 0; I < Argv.size(); ++I)
      if (!Drop[I])
        Kept.push_back(Argv[I]);
  } else {
    Kept.assign(Args.begin(), Args.end());
  }

  std::vector<std::string> Out{Kept[0]};
  // The driver takes the last -resource-dir, so the command's own (later)
  // still wins over ours.
  bool HasResourceDir = llvm::any_of(Kept, [](StringRef A) { return A.starts_with("-resource-dir"); }) ||
                        llvm::any_of(Adjust.ExtraArgsBefore, [](StringRef A) { return A.starts_with("-resource-dir"); }) ||
                        llvm::any_of(Adjust.ExtraArgs, [](StringRef A) { return A.starts_with("-resource-dir"); });
  if (!HasResourceDir && !Adjust.ResourceDir.empty())
    Out.push_back("-resource-dir=" + Adjust.ResourceDir);
  Out.insert(Out.end(), Adjust.ExtraArgsBefore.begin(), Adjust.ExtraArgsBefore.end());
  Out.insert(Out.end(), Kept.begin() + 1, Kept.end());
  Out.insert(Out.end(), Adjust.ExtraArgs.begin(), Adjust.ExtraArgs.end());
  return Out;
}

} // namespace ctx::vet
