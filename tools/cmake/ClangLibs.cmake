# ClangLibs.cmake - link an executable against clang-tidy (and optionally
# clangd) with the `context` module built in.
#
#   ctx_link_clang_tidy(<target> [MODULES all|none] [MAIN] [CLANGD])
#
#   MODULES all   link every clang-tidy module Debian ships (default), so every
#                 check clang-tidy has is available.
#   MODULES none  link only the clang-tidy framework (plus our module).
#   MAIN          also link clangTidyMain (clang::tidy::clangTidyMain).
#   CLANGD        also link clangd (clang::clangd::clangdMain): clangdMain,
#                 clangDaemon, its tweaks, remote index and the grpc/protobuf/
#                 absl libraries Debian's clangd static libraries were built
#                 with. Implies MODULES all, as clangd forces every module in.
#
# Why this shape: Debian's libclang-N-dev ships clang-tidy and clangd only as
# static archives, but clang itself also as the shared libclang-cpp and
# libLLVM. Using the exported CMake targets (clangTidy, clangDaemon, ...) would
# drag in every static clang library behind them (slow, memory-hungry links,
# and a second copy of clang next to any shared one, which breaks cl::opt
# registration). So only the archives that are NOT part of libclang-cpp are
# linked statically, in one rescanned group, and everything else resolves
# against the two shared libraries: links take seconds, not minutes.
#
# Our module's objects are linked directly (through the ctxChecks object
# library, so do not add $<TARGET_OBJECTS:ctxChecks> yourself as well) and
# the link requires CtxContextModuleAnchorSource, so a binary without the
# `context` module cannot be produced by accident.

include_guard(GLOBAL)

# lld links these binaries several times faster and in less memory than BFD
# ld; the machine is shared, so prefer it when present.
find_program(CTX_LLD NAMES ld.lld)
option(CTX_USE_LLD "Link the clang-tidy/clangd tools with lld when available" ON)

function(_ctx_llvm_archive out name)
  set(_path "${CTX_LLVM_PREFIX}/lib/lib${name}.a")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "ctx_link_clang_tidy: ${_path} is missing (install libclang-${CTX_LLVM_VERSION}-dev)")
  endif()
  set(${out} "${_path}" PARENT_SCOPE)
endfunction()

function(ctx_link_clang_tidy target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "MAIN;CLANGD" "MODULES" "")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ctx_link_clang_tidy: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODULES)
    set(ARG_MODULES all)
  endif()
  if(NOT ARG_MODULES MATCHES "^(all|none)$")
    message(FATAL_ERROR "ctx_link_clang_tidy: MODULES must be all or none, not ${ARG_MODULES}")
  endif()
  if(ARG_CLANGD OR ARG_MAIN)
    # clangTidyMain and clangDaemon include ClangTidyForceLinker.h, which
    # references every module's anchor.
    set(ARG_MODULES all)
  endif()

  set(_names)
  if(ARG_CLANGD)
    list(APPEND _names clangdMain clangDaemonTweaks clangDaemon clangdSupport
                       clangdRemoteIndex clangdRemoteMarshalling
                       clangdRemoteIndexProto clangdRemoteIndexServiceProto
                       clangdMonitoringServiceProto)
  endif()
  if(ARG_MAIN)
    list(APPEND _names clangTidyMain)
  endif()
  set(_archives)
  foreach(_n IN LISTS _names)
    _ctx_llvm_archive(_a ${_n})
    list(APPEND _archives "${_a}")
  endforeach()
  if(ARG_MODULES STREQUAL "all")
    # Whatever modules this LLVM ships (22 adds `custom`), not a fixed list.
    file(GLOB _modules "${CTX_LLVM_PREFIX}/lib/libclangTidy*Module.a")
    list(SORT _modules)
    list(APPEND _archives ${_modules})
  endif()
  foreach(_n clangTidy clangTidyUtils clangIncludeCleaner)
    _ctx_llvm_archive(_a ${_n})
    list(APPEND _archives "${_a}")
  endforeach()
  # Tools-extra libraries (not in libclang-cpp) that only some versions have
  # or need: clangd 19 uses the pseudo parser (removed in later versions),
  # LLVM 22's `custom` module uses clang-query's parser. An archive nothing
  # references contributes nothing, so listing them is harmless.
  foreach(_n clangQuery clangPseudo clangPseudoGrammar)
    if(EXISTS "${CTX_LLVM_PREFIX}/lib/lib${_n}.a")
      list(APPEND _archives "${CTX_LLVM_PREFIX}/lib/lib${_n}.a")
    endif()
  endforeach()

  # The archives reference each other in cycles (modules <-> utils <-> tidy),
  # so they are scanned as one group.
  string(JOIN "," _group ${_archives})
  # Debian ships libclang-cpp only as libclang-cpp.so.<major>.<minor> (no
  # unversioned symlink), so the shared libraries are named by path.
  file(GLOB _clang_cpp "${CTX_LLVM_PREFIX}/lib/libclang-cpp.so.${CTX_LLVM_VERSION}*")
  set(_llvm_so "${CTX_LLVM_PREFIX}/lib/libLLVM.so")
  if(NOT _clang_cpp OR NOT EXISTS "${_llvm_so}")
    message(FATAL_ERROR "ctx_link_clang_tidy: libclang-cpp/libLLVM missing in ${CTX_LLVM_PREFIX}/lib")
  endif()
  list(GET _clang_cpp 0 _clang_cpp)
  target_link_libraries(${target} PRIVATE
    ctxChecks
    "$<LINK_GROUP:RESCAN,${_group}>"
    "${_clang_cpp}" "${_llvm_so}")
  # A real reference to the module's anchor (the linker's --require-defined
  # is missing from the lld 14 Debian ships), so a binary without it fails
  # to link rather than silently lacking context-*.
  target_sources(${target} PRIVATE "${ctx_SOURCE_DIR}/tools/common/CtxModuleAnchor.cpp")

  if(ARG_CLANGD)
    find_package(PkgConfig REQUIRED)
    pkg_check_modules(CTX_GRPC REQUIRED IMPORTED_TARGET grpc++ protobuf)
    # Debian builds clangd with the remote index enabled, so its archives
    # reference grpc, protobuf and (through them) absl.
    target_link_libraries(${target} PRIVATE PkgConfig::CTX_GRPC)
  endif()

  if(CTX_USE_LLD AND CTX_LLD)
    target_link_options(${target} PRIVATE -fuse-ld=lld)
  endif()
  # Installed binaries find libclang-cpp/libLLVM where the loader looks by
  # itself when they are there (Debian: /usr/lib/<multiarch>, from
  # libclang-cpp19 and libllvm19), else in the LLVM tree by RUNPATH. Not the
  # tree by default: its libLLVM.so.N is llvm-N-dev's symlink, so the Debian
  # packages' dependencies would miss libllvmN.
  set(_rpath "${CTX_LLVM_PREFIX}/lib")
  file(REAL_PATH "${_llvm_so}" _real)
  get_filename_component(_real_dir "${_real}" DIRECTORY)
  if(_real_dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES OR _real_dir IN_LIST CMAKE_PLATFORM_IMPLICIT_LINK_DIRECTORIES)
    set(_rpath "")
  endif()
  set_target_properties(${target} PROPERTIES CXX_STANDARD 17 INSTALL_RPATH "${_rpath}")
endfunction()

# Settings every ctx tool binary shares: the version string, the shared
# helpers in tools/common, and the system clang's resource directory (see
# tools/common/ToolArgs.h for why it is baked in).
function(ctx_tool_defaults target)
  if(NOT CTX_CLANG_RESOURCE_DIR)
    execute_process(COMMAND "${CTX_LLVM_PREFIX}/bin/clang" -print-resource-dir
      OUTPUT_VARIABLE _dir OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0 OR NOT IS_DIRECTORY "${_dir}")
      message(FATAL_ERROR "cannot get the resource directory from ${CTX_LLVM_PREFIX}/bin/clang (install clang-${CTX_LLVM_VERSION})")
    endif()
    set(CTX_CLANG_RESOURCE_DIR "${_dir}" CACHE PATH "clang resource directory the ctx tools use by default")
  endif()
  target_include_directories(${target} PRIVATE "${ctx_SOURCE_DIR}/tools/common")
  target_compile_definitions(${target} PRIVATE
    CTX_VERSION="${CTX_VERSION}"
    CTX_CLANG_RESOURCE_DIR="${CTX_CLANG_RESOURCE_DIR}")
endfunction()
