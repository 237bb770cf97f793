//===- CtxTidyMain.cpp - clang-tidy with the `context` module built in ----===//
//
// Exactly clang-tidy (every flag, every module Debian ships) plus context-*,
// without `--load` and so without the plugin's LLVM-major matching.
//
//===----------------------------------------------------------------------===//

#include "ToolArgs.h"
#include "clang-tidy/tool/ClangTidyMain.h"

#include <sys/stat.h>

int main(int argc, const char **argv) {
  ctx::tools::printVersionBanner(argc, argv, "ctx-tidy");

  // ClangTool injects a `-resource-dir` derived from this binary's path
  // unless the command already has one. extra-arg-before puts the system
  // clang's first, so one in the compile command or from --extra-arg (later,
  // and the driver takes the last) still wins. If that clang has gone, the
  // upstream default is all that is left.
  std::vector<std::string> Extra;
  struct stat St;
  if (::stat(CTX_CLANG_RESOURCE_DIR, &St) == 0)
    Extra.push_back(std::string("--extra-arg-before=-resource-dir=") + CTX_CLANG_RESOURCE_DIR);
  std::vector<const char *> Args = ctx::tools::withLeadingArgs(argc, argv, Extra);
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()) - 1, Args.data());
}
