# ctest driver: configuring ctx with the checks (CTX_BUILD_CHECKS) and GCC,
# CMake's default compiler on Debian, stops at configure and says what to
# set, rather than failing to link (or building a plugin that dies inside
# clang-tidy). The runtime alone configures with GCC.
#   -DCTX_SOURCE_DIR=  -DWORK_DIR=  -DGXX=
file(REMOVE_RECURSE "${WORK_DIR}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${CTX_SOURCE_DIR}" -B "${WORK_DIR}/checks" -G Ninja
                "-DCMAKE_CXX_COMPILER=${GXX}" -DCTX_BUILD_TESTS=OFF -DCTX_BUILD_BENCHMARKS=OFF
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX REPLACE "[ \n]+" " " err "${err}")
if(NOT rc OR NOT err MATCHES "must be compiled with clang, not GNU"
   OR NOT err MATCHES "-DCMAKE_CXX_COMPILER=clang\\+\\+-[0-9]+ -DCMAKE_C_COMPILER=clang-[0-9]+"
   OR NOT err MATCHES "-DCTX_BUILD_CHECKS=OFF")
  message(FATAL_ERROR "GCC with the checks: expected a configure error saying what to set; got ${rc}:\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${CTX_SOURCE_DIR}" -B "${WORK_DIR}/runtime" -G Ninja
                "-DCMAKE_CXX_COMPILER=${GXX}" -DCTX_BUILD_CHECKS=OFF -DCTX_BUILD_TESTS=OFF -DCTX_BUILD_BENCHMARKS=OFF
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "GCC without the checks does not configure (${rc}):\n${err}")
endif()
message(STATUS "ok")
