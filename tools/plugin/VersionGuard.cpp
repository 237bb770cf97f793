//===- VersionGuard.cpp - Refuse to load into the wrong clang-tidy --------===//
//
// A clang-tidy plugin is compiled against one LLVM major's headers and ABI.
// Loaded into another major it does not fail: its checks register into a
// registry the host never reads, and clang-tidy runs nothing and exits 0,
// which in CI looks exactly like clean code. So at load time the plugin finds
// the host's clang version and, on a mismatch, says so and stops the process.
//
// It also stops when the host already has the `context` module (ctx-tidy,
// which has the checks built in): a second copy would register every
// context-* check again, from another build of them.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/Version.inc" // CLANG_VERSION_MAJOR of the headers we built with
#if CLANG_VERSION_MAJOR < 22 // since 22 in ClangTidyModule.h; the old header warns
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <string>

namespace {

/// The first integer after "version " in a clang version string, or 0.
int majorFromVersionString(const char *S) {
  const char *P = std::strstr(S, "version ");
  if (!P)
    return 0;
  return std::atoi(P + std::strlen("version "));
}

/// The major of the first loaded libclang-cpp.so.N / libLLVM.so.N /
/// libLLVM-N.so in the process (a host that links LLVM dynamically).
int majorFromLoadedLibraries() {
  int Major = 0;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Out) -> int {
        const char *Name = Info->dlpi_name ? std::strrchr(Info->dlpi_name, '/') : nullptr;
        Name = Name ? Name + 1 : Info->dlpi_name;
        if (!Name)
          return 0;
        for (const char *Prefix : {"libclang-cpp.so.", "libLLVM.so.", "libLLVM-"}) {
          size_t Len = std::strlen(Prefix);
          if (std::strncmp(Name, Prefix, Len) == 0 && Name[Len] >= '0' && Name[Len] <= '9') {
            *static_cast<int *>(Out) = std::atoi(Name + Len);
            return 1;
          }
        }
        return 0;
      },
      &Major);
  return Major;
}

/// The host's clang major: from clang::getClangFullVersion() if the host
/// exports it, else from the names of loaded LLVM libraries; 0 if unknown.
int hostClangMajor() {
  using VersionFn = std::string (*)();
  if (void *Sym = dlsym(RTLD_DEFAULT, "_ZN5clang19getClangFullVersionB5cxx11Ev")) {
    std::string V = reinterpret_cast<VersionFn>(Sym)();
    if (int Major = majorFromVersionString(V.c_str()))
      return Major;
  }
  return majorFromLoadedLibraries();
}

/// Whether the host registered a module named `context-module` (ours)
/// before this plugin's own registration ran.
bool hostHasContextModule() {
  for (const auto &Entry : clang::tidy::ClangTidyModuleRegistry::entries())
    if (Entry.getName() == "context-module")
      return true;
  return false;
}

// Runs before the module's registration (a plain static initializer).
__attribute__((constructor(101))) void ctxPluginVersionGuard() {
  Dl_info Self{};
  const char *Path = dladdr(reinterpret_cast<void *>(&ctxPluginVersionGuard), &Self) && Self.dli_fname
                         ? Self.dli_fname
                         : "libctx-tidy.so";
  int Host = hostClangMajor();
  if (Host == 0 || Host == CLANG_VERSION_MAJOR) {
    // Only now is the host's registry known to have our layout.
    if (!hostHasContextModule())
      return;
    std::fprintf(stderr,
                 "error: %s was loaded into a clang-tidy that already has the context-* checks "
                 "built in (ctx-tidy); they would be registered twice. Drop --load %s\n",
                 Path, Path);
    std::fflush(stderr);
    std::_Exit(1);
  }
  std::fprintf(stderr,
               "error: %s was built for clang-tidy %d but was loaded into clang-tidy %d; "
               "its checks would silently not run. Use clang-tidy-%d, rebuild the plugin "
               "with -DCTX_LLVM_VERSION=%d, or run ctx-tidy (the checks built in)\n",
               Path, CLANG_VERSION_MAJOR, Host, CLANG_VERSION_MAJOR, Host);
  std::fflush(stderr);
  std::_Exit(1);
}

} // namespace
