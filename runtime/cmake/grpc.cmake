# ctx::grpc, the gRPC bridge (<ctx/grpc.hpp>): built when CTX_BUILD_GRPC is
# on and gRPC's CMake package is found (Debian 12: libgrpc++-dev). The
# runtime itself never depends on gRPC. Installed (COMPONENT dev) with its
# own export set; find_package(ctx CONFIG COMPONENTS grpc) includes
# ctx-component-grpc.cmake, which finds gRPC and defines ctx::grpc.
if(NOT CTX_BUILD_GRPC)
  return()
endif()
find_package(gRPC CONFIG QUIET)
if(NOT gRPC_FOUND)
  message(STATUS "ctx: gRPC not found, ctx::grpc not built (Debian: libgrpc++-dev)")
  return()
endif()

add_library(ctx_grpc
  src/grpc_status.cpp
  src/grpc_server.cpp
  src/grpc_client.cpp)
add_library(ctx::grpc ALIAS ctx_grpc)
set_target_properties(ctx_grpc PROPERTIES
  EXPORT_NAME grpc
  OUTPUT_NAME ctx_grpc
  POSITION_INDEPENDENT_CODE ON
  VERSION ${CTX_VERSION} SOVERSION ${CTX_SOVERSION})
target_link_libraries(ctx_grpc PUBLIC ctx_runtime gRPC::grpc++)
target_compile_options(ctx_grpc PRIVATE -Wall -Wextra)

if(CTX_INSTALL)
  target_compile_options(ctx_grpc PRIVATE
    "-ffile-prefix-map=${CMAKE_BINARY_DIR}=." "-ffile-prefix-map=${PROJECT_SOURCE_DIR}=.")
  install(TARGETS ctx_grpc EXPORT ctxGrpcTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
  # <ctx/grpc.hpp> is installed with the other headers (include/ctx).
  install(EXPORT ctxGrpcTargets NAMESPACE ctx:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ctx COMPONENT dev)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/ctx-component-grpc.cmake
    "# find_package(ctx COMPONENTS grpc): ctx::grpc, the gRPC bridge.\n"
    "include(CMakeFindDependencyMacro)\n"
    "find_dependency(gRPC CONFIG)\n"
    "include(\"\${CMAKE_CURRENT_LIST_DIR}/ctxGrpcTargets.cmake\")\n"
    "set(ctx_grpc_FOUND TRUE)\n")
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ctx-component-grpc.cmake
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ctx COMPONENT dev)
endif()
