# ctx::asio: <ctx/asio.hpp>, contexts in standalone Asio (Debian: libasio-dev,
# 1.22). Header-only like Asio itself: an INTERFACE target that finds Asio's
# header and needs ctx::runtime. Built when CTX_BUILD_ASIO is ON and Asio is
# found; installed with an export set of its own and ctx-component-asio.cmake
# (find_package(ctx COMPONENTS asio)).
if(NOT CTX_BUILD_ASIO)
  return()
endif()
find_path(CTX_ASIO_INCLUDE_DIR asio.hpp)
if(NOT CTX_ASIO_INCLUDE_DIR OR NOT EXISTS "${CTX_ASIO_INCLUDE_DIR}/asio/associator.hpp")
  message(STATUS "ctx: standalone Asio 1.22+ not found (libasio-dev): ctx::asio not built")
  return()
endif()
add_library(ctx_asio INTERFACE)
add_library(ctx::asio ALIAS ctx_asio)
set_target_properties(ctx_asio PROPERTIES EXPORT_NAME asio)
# Asio's own header, not an install path of ours: consumers find it where
# their system has it. (Never -isystem /usr/include: it breaks #include_next.)
if(NOT CTX_ASIO_INCLUDE_DIR IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
  target_include_directories(ctx_asio SYSTEM INTERFACE $<BUILD_INTERFACE:${CTX_ASIO_INCLUDE_DIR}>)
endif()
target_link_libraries(ctx_asio INTERFACE ctx::runtime)
# Asio 1.22 recognises clang's C++20 coroutines only through the old
# Coroutines TS macro: without this, asio::awaitable does not exist under clang.
target_compile_definitions(ctx_asio INTERFACE ASIO_NO_DEPRECATED
  $<$<CXX_COMPILER_ID:Clang>:ASIO_HAS_CO_AWAIT=1>)
set(CTX_HAVE_ASIO ON)
if(CTX_INSTALL)
  install(TARGETS ctx_asio EXPORT ctxAsioTargets COMPONENT dev)
  install(EXPORT ctxAsioTargets NAMESPACE ctx:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ctx
          FILE ctxAsioTargets.cmake COMPONENT dev)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/ctx-component-asio.cmake
    "include(\"\${CMAKE_CURRENT_LIST_DIR}/ctxAsioTargets.cmake\")\nset(ctx_asio_FOUND TRUE)\n")
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ctx-component-asio.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ctx COMPONENT dev)
endif()
