# The version of ctx, in one place: the top-level project and the runtime
# built on its own (add_subdirectory(runtime)) both read it.
#
# Before 1.0 every minor release may change the API and ABI; from 1.0 on
# only a major release does. So:
#   CTX_SOVERSION      the shared runtime's SONAME version: 0.1 in
#                      libctx_runtime.so.0.1 (the major from 1.0 on);
#   CTX_COMPATIBILITY  what find_package(ctx 0.1) accepts (ctxConfigVersion).
set(CTX_VERSION 0.1.0)
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _ctx_mm "${CTX_VERSION}")
if(CMAKE_MATCH_1 EQUAL 0)
  set(CTX_SOVERSION "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
  set(CTX_COMPATIBILITY SameMinorVersion)
else()
  set(CTX_SOVERSION "${CMAKE_MATCH_1}")
  set(CTX_COMPATIBILITY SameMajorVersion)
endif()
unset(_ctx_mm)
