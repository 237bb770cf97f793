//===- Database.h - The compile database, resolved --------------------------===//
//
// compile_commands.json as ctxvet uses it: loaded with errors that say what
// is wrong (missing, or which line does not parse), every command's
// directory and file made absolute (a relative "directory" is taken as
// relative to the database's own directory: the one reading that does not
// depend on where ctxvet is run from), and files looked up by real path too,
// so a symlinked spelling of a listed file is the listed file.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_CTXVET_DATABASE_H
#define CTX_TOOLS_CTXVET_DATABASE_H

#include "clang/Tooling/CompilationDatabase.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ctx::vet {

class Database : public clang::tooling::CompilationDatabase {
public:
  /// Loads BUILD_DIR/compile_commands.json, or the database file
  /// `BuildPath` names; on failure returns null and sets `Error` to a
  /// message naming the file (and line:column when the JSON does not parse).
  static std::unique_ptr<Database> load(llvm::StringRef BuildPath, std::string &Error);

  /// The path of the file that was loaded.
  const std::string &path() const { return Path; }

  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef File) const override;
  /// Absolute, normalised, sorted.
  std::vector<std::string> getAllFiles() const override;
  std::vector<clang::tooling::CompileCommand> getAllCompileCommands() const override {
    return Commands;
  }

  /// The database's spelling of `Path` (absolute or relative to the current
  /// directory): itself if listed, else the listed file with the same real
  /// path; empty if neither.
  std::string find(llvm::StringRef Path) const;
  /// The listed files under directory `Dir`, by spelling or by real path.
  std::vector<std::string> filesUnder(llvm::StringRef Dir) const;

private:
  std::string Path;
  std::vector<clang::tooling::CompileCommand> Commands;
  std::map<std::string, std::vector<size_t>> ByFile; // spelling -> commands
  std::map<std::string, std::string> ByReal;          // real path -> spelling
};

/// What ctxvet changes in every compile command.
struct CommandAdjustments {
  std::string ResourceDir;                // -resource-dir unless the command has one
  std::vector<std::string> ExtraArgsBefore; // after the compiler, before its arguments
  std::vector<std::string> ExtraArgs;       // at the end
  bool DropUnknownFlags = true;
};

/// The command with the adjustments applied. Flags clang's driver does not
/// know (GCC's -fconcepts-diagnostics-depth=3, ...), which would otherwise
/// fail the TU with "unknown argument", are removed, as clangd does, and
/// added to `Dropped`.
std::vector<std::string> adjustCommand(const std::vector<std::string> &Args,
                                       const CommandAdjustments &Adjust,
                                       std::set<std::string> &Dropped);

} // namespace ctx::vet

#endif // CTX_TOOLS_CTXVET_DATABASE_H
