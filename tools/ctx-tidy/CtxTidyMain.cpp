//===- CtxTidyMain.cpp - clang-tidy with the `context` module built in ----===//
//
// Exactly clang-tidy (every flag, every module Debian ships) plus context-*,
// without `--load` and so without the plugin's LLVM-major matching. The
// binary exports clang-tidy's symbols (see CMakeLists.txt), so `--load` of
// third-party clang-tidy plugins works as in upstream clang-tidy.
//
//===----------------------------------------------------------------------===//

#include "ToolArgs.h"
#include "clang-tidy/tool/ClangTidyMain.h"

int main(int argc, const char **argv) {
  ctx::tools::printVersionBanner(argc, argv, "ctx-tidy");

  // ClangTool injects a `-resource-dir` derived from this binary's path
  // unless the command already has one. extra-arg-before puts ours first,
  // so one in the compile command or from --extra-arg (later, and the driver
  // takes the last) still wins.
  std::vector<std::string> Extra;
  std::string Tried;
  std::string ResourceDir = ctx::tools::findResourceDir(Tried);
  if (!ResourceDir.empty()) {
    Extra.push_back("--extra-arg-before=-resource-dir=" + ResourceDir);
  } else if (!ctx::tools::mentionsResourceDir(argc, argv)) {
    bool OnlyInfo = false;
    for (const char *Info : {"version", "list-checks", "dump-config", "verify-config", "help"})
      OnlyInfo |= ctx::tools::hasOption(argc, argv, Info);
    if (!OnlyInfo)
      std::fprintf(stderr, "ctx-tidy: warning: %s\n",
                   ctx::tools::noResourceDirMessage(Tried, "--extra-arg=-resource-dir=").c_str());
  }
  std::vector<const char *> Args = ctx::tools::withLeadingArgs(argc, argv, Extra);
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()) - 1, Args.data());
}
