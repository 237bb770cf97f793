//===- ToolArgs.h - Command-line helpers shared by ctx-tidy and clangd-ctx -===//
//
// Both tools are upstream mains (clangTidyMain, clangdMain) with our module
// linked in. They differ from the upstream binaries in two ways handled here:
// `--version` names the tool first, and the clang resource directory (where
// <stddef.h> and friends live) is the system clang's, baked in at configure
// time, because the upstream default is derived from the binary's own path
// (build/bin/../lib/clang/N), which does not exist for our binaries.
//
//===----------------------------------------------------------------------===//

#ifndef CTX_TOOLS_COMMON_TOOLARGS_H
#define CTX_TOOLS_COMMON_TOOLARGS_H

#include <cstdio>
#include <string>
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
