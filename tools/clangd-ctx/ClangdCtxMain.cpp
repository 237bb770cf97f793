//===- ClangdCtxMain.cpp - clangd with the `context` module built in ------===//
//
// clangd cannot load clang-tidy plugins, so editors get context-* only from a
// clangd that links the module. Everything else is upstream clangdMain.
//
//===----------------------------------------------------------------------===//

#include "ToolArgs.h"

// libclangdMain.a defines it, but Debian ships no ClangdMain.h to declare it.
namespace clang::clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clang::clangd

int main(int argc, char **argv) {
  ctx::tools::printVersionBanner(argc, argv, "clangd-ctx");

  // clangd derives the resource directory from its own path, which for
  // build/bin or /usr/local/bin has no clang headers (<stddef.h> would not
  // resolve). Use ours unless the user chose one.
  std::vector<std::string> Extra;
  if (!ctx::tools::hasOption(argc, argv, "resource-dir")) {
    std::string Tried;
    std::string ResourceDir = ctx::tools::findResourceDir(Tried);
    if (!ResourceDir.empty())
      Extra.push_back("--resource-dir=" + ResourceDir);
    else if (!ctx::tools::hasOption(argc, argv, "version") && !ctx::tools::hasOption(argc, argv, "help"))
      // Editors show clangd's stderr as its log.
      std::fprintf(stderr, "clangd-ctx: warning: %s\n",
                   ctx::tools::noResourceDirMessage(Tried, "--resource-dir=").c_str());
  }
  std::vector<const char *> Args = ctx::tools::withLeadingArgs(argc, argv, Extra);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   const_cast<char **>(Args.data()));
}
