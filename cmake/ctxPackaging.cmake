# Debian packages, made by CPack from the install components:
#
#   cmake --workflow --preset deb       # configure, build, cpack -> build-package/ctx-*.deb
#   cpack --config BUILD/CPackConfig.cmake -G DEB    # from any configured build
#
#   ctx-dev                 the runtime: headers, the library, CMake package
#                           (find_package(ctx)) and pkg-config file (ctx.pc)
#   ctx-runtime             the shared library, when built with BUILD_SHARED_LIBS=ON
#                           (ctx-dev then depends on it); none for a static runtime
#   ctx-tools               ctxvet, ctx-tidy, clangd-ctx and the CI scripts
#                           (share/ctx), for LLVM ${CTX_LLVM_VERSION}
#   ctx-clang-tidy-plugin   libctx-tidy.so for clang-tidy-${CTX_LLVM_VERSION} --load
#
# Dependencies: dpkg-shlibdeps finds the libraries each binary links
# (libclang-cpp, libLLVM, gRPC for clangd-ctx, ...); what the files need
# without linking it is added by name below: the compiler's own headers
# (libclang-common-N-dev) for the tools, clang-tidy-N for the plugin.
# scripts/test-debs-debian12.sh installs the packages on a fresh Debian 12;
# test/package checks their contents and dependencies.
include_guard(GLOBAL)

set(CPACK_PACKAGE_NAME ctx)
set(CPACK_PACKAGE_VENDOR "ctx")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Not CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put it above every
# package's own summary line (the first line of each description below).
set(CPACK_PACKAGE_CONTACT "ctx developers" CACHE STRING "The Maintainer of the Debian packages")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)

set(_llvm ${CTX_LLVM_VERSION})
set(_packages)
if(CTX_BUILD_RUNTIME)
  get_target_property(_type ctx_runtime TYPE)
  list(APPEND _packages dev)
  set(CPACK_DEBIAN_DEV_PACKAGE_NAME ctx-dev)
  set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
  string(CONCAT CPACK_DEBIAN_DEV_DESCRIPTION
    "Go's context for C++20: headers, library, CMake and pkg-config files\n"
    "ctx::runtime: cancellation, deadlines and request-scoped values passed\n"
    "across threads and API boundaries, with Go's semantics.\n"
    "find_package(ctx CONFIG) gives the target ctx::runtime; pkg-config ctx.")
  if(TARGET ctx_asio)  # <ctx/asio.hpp>, find_package(ctx COMPONENTS asio): Asio's headers
    set(CPACK_DEBIAN_DEV_PACKAGE_SUGGESTS "libasio-dev")
  endif()
  if(_type STREQUAL "SHARED_LIBRARY")
    list(APPEND _packages runtime)
    set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ctx-runtime)
    set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
    string(CONCAT CPACK_DEBIAN_RUNTIME_DESCRIPTION
      "Go's context for C++20: the shared library\n"
      "The library ctx-dev's programs link at run time.")
    set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "ctx-runtime (= ${PROJECT_VERSION})")
  endif()
endif()
if(CTX_BUILD_CHECKS)
  list(APPEND _packages tools plugin)
  set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME ctx-tools)
  set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libclang-common-${_llvm}-dev")
  string(CONCAT CPACK_DEBIAN_TOOLS_DESCRIPTION
    "ctxvet, ctx-tidy and clangd-ctx: Go's context rules for C++ (LLVM ${_llvm})\n"
    "ctxvet runs the context-* checks over a compile database for CI (text,\n"
    "JSON, SARIF, GitLab code quality; baselines; sharding). ctx-tidy and\n"
    "clangd-ctx are clang-tidy and clangd ${_llvm} with the checks built in.")
  set(CPACK_DEBIAN_PLUGIN_PACKAGE_NAME ctx-clang-tidy-plugin)
  set(CPACK_DEBIAN_PLUGIN_PACKAGE_DEPENDS "clang-tidy-${_llvm}")
  string(CONCAT CPACK_DEBIAN_PLUGIN_DESCRIPTION
    "The context-* checks as a plugin for clang-tidy-${_llvm}\n"
    "clang-tidy-${_llvm} --load /usr/${CMAKE_INSTALL_LIBDIR}/libctx-tidy.so -checks='-*,context-*'")
endif()

# One package per group: group -> components.
set(_ctx_group_dev dev)
set(_ctx_group_runtime runtime)
set(_ctx_group_tools editor ctxvet)
set(_ctx_group_plugin plugin)
set(CPACK_COMPONENTS_ALL)
foreach(_p IN LISTS _packages)
  # Debian wants each package's copyright at /usr/share/doc/<package>/: a
  # component of each package's own (a plain `cmake --install` has
  # share/doc/ctx/LICENSE instead).
  string(TOUPPER ${_p} _P)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_DEBIAN_${_P}_PACKAGE_NAME}
          RENAME copyright COMPONENT ${_p}-copyright EXCLUDE_FROM_ALL)
  list(APPEND _ctx_group_${_p} ${_p}-copyright)
  list(APPEND CPACK_COMPONENTS_ALL ${_ctx_group_${_p}})
endforeach()

include(CPack)
foreach(_p IN LISTS _packages)
  cpack_add_component_group(${_p})
  foreach(_c IN LISTS _ctx_group_${_p})
    cpack_add_component(${_c} GROUP ${_p})
  endforeach()
endforeach()
