//===- CtxModuleAnchor.cpp - Keeps the context module in a tool's link ----===//
//
// Every tool binary compiles this file (tools/cmake/ClangLibs.cmake): it
// references the module's anchor, so the linker must pull in the `context`
// module, and a binary without it fails to link instead of lacking context-*.
//
//===----------------------------------------------------------------------===//

extern volatile int CtxContextModuleAnchorSource;
[[maybe_unused]] static int CtxContextModuleAnchorDestination = CtxContextModuleAnchorSource;
