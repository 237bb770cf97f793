//===- ToolArgs.h - Command-line helpers shared by the ctx tools ----------===//
//
// ctx-tidy and clangd-ctx are upstream mains (clangTidyMain, clangdMain) with
// our module linked in. They differ from the upstream binaries in two ways
// handled here: `--version` names the tool first, and the clang resource
// directory (where <stddef.h> and friends live). Upstream derives it from the
// binary's own path (PREFIX/bin/../lib/clang/N), which exists for our
// binaries only if someone put the headers there; so that is tried first,
// then the system clang's, recorded at configure time. ctxvet uses the same
// lookup.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_COMMON_TOOLARGS_H
#define CTX_TOOLS_COMMON_TOOLARGS_H

#include "clang/Basic/Version.inc" // CLANG_VERSION_MAJOR_STRING

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <string_view>
#include <vector>

namespace ctx::tools {

/// Whether an option spelled `-Name` or `--Name` (alone or as `...=value`)
/// appears before a `--` separator (after it come compiler arguments).
inline bool hasOption(int Argc, const char *const *Argv, std::string_view Name) {
  for (int I = 1; I < Argc; ++I) {
    std::string_view A = Argv[I];
    if (A == "--")
      return false;
    if (A.substr(0, 2) == "--")
      A.remove_prefix(2);
    else if (A.substr(0, 1) == "-")
      A.remove_prefix(1);
    else
      continue;
    if (A == Name || (A.size() > Name.size() && A.substr(0, Name.size()) == Name &&
                      A[Name.size()] == '='))
      return true;
  }
  return false;
}

/// Prints the tool's identifying first line when `--version` was asked for;
/// the upstream version printer follows with the LLVM lines.
inline void printVersionBanner(int Argc, const char *const *Argv, const char *Tool) {
  if (hasOption(Argc, Argv, "version")) {
    std::printf("%s (ctx %s, context-* checks built in)\n", Tool, CTX_VERSION);
    std::fflush(stdout);
  }
}

/// Whether `Dir` is a clang resource directory (has the builtin headers).
inline bool isResourceDir(const std::string &Dir) {
  struct stat St;
  return !Dir.empty() && ::stat((Dir + "/include/stddef.h").c_str(), &St) == 0;
}

/// The clang resource directory the tools use, in this order:
///  1. $CTX_CLANG_RESOURCE_DIR when set (then nothing else is tried: a wrong
///     setting must not be papered over);
///  2. PREFIX/lib/clang/N for the binary in PREFIX/bin, as upstream clang
///     tools do: an install that carries its own copy of the headers;
///  3. the system clang's, recorded when the project was configured.
/// Empty when none of them has the headers; `Tried` then says where it looked.
inline std::string findResourceDir(std::string &Tried) {
  Tried.clear();
  if (const char *Env = std::getenv("CTX_CLANG_RESOURCE_DIR"); Env && *Env) {
    Tried = std::string(Env) + " (CTX_CLANG_RESOURCE_DIR)";
    return isResourceDir(Env) ? std::string(Env) : std::string();
  }
  std::vector<std::string> Candidates;
  char Self[4096];
  ssize_t N = ::readlink("/proc/self/exe", Self, sizeof(Self) - 1);
  if (N > 0) {
    std::string Exe(Self, static_cast<size_t>(N));
    std::string Bin = Exe.substr(0, Exe.rfind('/'));
    Candidates.push_back(Bin.substr(0, Bin.rfind('/')) + "/lib/clang/" CLANG_VERSION_MAJOR_STRING);
  }
  Candidates.push_back(CTX_CLANG_RESOURCE_DIR);
  for (const std::string &C : Candidates) {
    if (isResourceDir(C))
      return C;
    Tried += (Tried.empty() ? "" : ", ") + C;
  }
  return std::string();
}

/// The advice when findResourceDir found nothing; `Flag` is how this tool
/// takes a resource directory on its command line.
inline std::string noResourceDirMessage(const std::string &Tried, const char *Flag) {
  return "no clang resource directory with the compiler's own headers (looked in " + Tried +
         "), so <stddef.h> and the like may not be found. Install clang-" CLANG_VERSION_MAJOR_STRING
         " (its package provides them), set CTX_CLANG_RESOURCE_DIR=DIR, or pass " +
         std::string(Flag) + "DIR";
}

/// Whether an option sets a resource directory (the user chose one): as a
/// compiler argument after `--`, or passed on with --extra-arg(-before).
inline bool mentionsResourceDir(int Argc, const char *const *Argv) {
  for (int I = 1; I < Argc; ++I) {
    std::string_view A = Argv[I];
    if (A.substr(0, 1) == "-" && A.find("-resource-dir") != std::string_view::npos)
      return true;
  }
  return false;
}

/// Argv with `Extra` inserted right after the program name. The strings are
/// owned by `Storage`, which must outlive the returned pointers.
inline std::vector<const char *> withLeadingArgs(int Argc, const char *const *Argv,
                                                 const std::vector<std::string> &Extra) {
  std::vector<const char *> Out;
  Out.push_back(Argv[0]);
  for (const std::string &E : Extra)
    Out.push_back(E.c_str());
  for (int I = 1; I < Argc; ++I)
    Out.push_back(Argv[I]);
  Out.push_back(nullptr); // argv convention: argv[argc] is null.
  return Out;
}

} // namespace ctx::tools

#endif // CTX_TOOLS_COMMON_TOOLARGS_H
