//===- ClangdCtxMain.cpp - clangd with the `context` module built in ------===//
//
// clangd cannot load clang-tidy plugins, so editors get context-* only from a
// clangd that links the module. Everything else is upstream clangdMain.
//
//===----------------------------------------------------------------------===//

#include "ToolArgs.h"

#include <sys/stat.h>

// libclangdMain.a defines it, but Debian ships no ClangdMain.h to declare it.
namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

int main(int argc, char **argv) {
  ctx::tools::printVersionBanner(argc, argv, "clangd-ctx");

  // clangd derives the resource directory from its own path, which for
  // build/bin or /usr/local/bin has no clang headers (<stddef.h> would not
  // resolve). Use the system clang's unless the user chose one or that
  // clang has gone.
  std::vector<std::string> Extra;
  struct stat St;
  if (!ctx::tools::hasOption(argc, argv, "resource-dir") &&
      ::stat(CTX_CLANG_RESOURCE_DIR, &St) == 0)
    Extra.push_back(std::string("--resource-dir=") + CTX_CLANG_RESOURCE_DIR);
  std::vector<const char *> Args = ctx::tools::withLeadingArgs(argc, argv, Extra);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   const_cast<char **>(Args.data()));
}
