//===- Units.cpp - Selecting, excluding and sharding translation units ----===//

#include "Units.h"

#include "llvm/Support/FileSystem.h"

#include <set>

using namespace llvm;

namespace ctx::vet {

std::unique_ptr<Database> loadDatabase(const Options &O) {
  std::string Error;
  std::unique_ptr<Database> DB = Database::load(O.BuildPath, Error);
  if (!DB) {
    usageError(Error);
    return nullptr;
  }
  if (DB->getAllFiles().empty()) {
    usageError("no translation units in " + DB->path() +
               " (an empty compile database: is the build configured with any sources?)");
    return nullptr;
  }
  return DB;
}

/// The command line's paths as translation units of the database, compared
/// by real path (a symlinked spelling of a listed file is that file). Each
/// path that names none is a problem.
static std::set<std::string> named(const Database &DB, const Options &O, Problems &Found) {
  if (O.Paths.empty()) {
    std::vector<std::string> All = DB.getAllFiles();
    return std::set<std::string>(All.begin(), All.end());
  }
  std::set<std::string> Chosen;
  for (const std::string &P : O.Paths) {
    std::string Abs = normalisePath(P, "");
    if (sys::fs::is_directory(Abs)) {
      std::vector<std::string> Under = DB.filesUnder(Abs);
      if (Under.empty())
        Found.error(Abs, "no translation unit of the compile database is under " + P);
      Chosen.insert(Under.begin(), Under.end());
    } else if (std::string Listed = DB.find(Abs); !Listed.empty()) {
      Chosen.insert(Listed);
    } else if (!O.IgnoreUnlisted) {
      Found.error(Abs, P + " is not in the compile database" +
                           (sys::fs::exists(Abs) ? "" : " (and does not exist)"));
    }
  }
  return Chosen;
}

std::vector<std::string> selectUnits(const Database &DB, const Options &O, Problems &Found) {
  std::vector<std::string> Selected;
  for (const std::string &U : named(DB, O, Found))
    if (!isExcluded(U, O))
      Selected.push_back(U);

  std::vector<std::string> Units;
  for (size_t I = 0; I < Selected.size(); ++I) {
    if (I % O.ShardCount + 1 != O.ShardIndex)
      continue;
    // What would stop a TU before clang starts, said plainly rather than as
    // clang's ":0:0: error: no input files" or libTooling's abort on a
    // directory it cannot enter.
    const std::string &U = Selected[I];
    std::string Shown = relativeTo(U, O.Root);
    if (!sys::fs::exists(U)) {
      Found.error(U, Shown + " is listed in the compile database but does not exist (stale "
                             "database? rebuild, or re-run cmake)");
      continue;
    }
    bool DirOk = true;
    for (const clang::tooling::CompileCommand &C : DB.getCompileCommands(U))
      if (!sys::fs::is_directory(C.Directory)) {
        Found.error(U, Shown + ": its compile command's directory " + C.Directory +
                               " does not exist (stale database? re-run cmake)");
        DirOk = false;
      }
    if (DirOk)
      Units.push_back(U);
  }
  return Units;
}

} // namespace ctx::vet
