# ctest driver for test/consumers: configures, builds and runs one consumer
# project with the default compiler (GCC on Debian), then checks that ctx,
# as a subproject, left the consumer's build alone.
#   -DCTX_SOURCE_DIR=  -DCONSUMER=fetchcontent|runtime-subdirectory  -DWORK_DIR=
set(src "${CMAKE_CURRENT_LIST_DIR}/${CONSUMER}")
set(build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()
# expect("<if() condition>" "what is wrong otherwise")
function(expect condition message)
  cmake_language(EVAL CODE "if(NOT (${condition}))
    message(FATAL_ERROR [==[${CONSUMER}: ${message}]==])
  endif()")
endfunction()

run("configure" ${CMAKE_COMMAND} -S "${src}" -B "${build}" -G Ninja
    "-DCTX_SOURCE_DIR=${CTX_SOURCE_DIR}" -DCMAKE_BUILD_TYPE=Release)
run("build" ${CMAKE_COMMAND} --build "${build}" -j 2)
run("the consumer" "${build}/consumer")
expect("out MATCHES \"consumer ok\"" "the consumer did not run: ${out}")

# Only the runtime: LLVM, GoogleTest and Benchmark are not even looked for.
file(STRINGS "${build}/CMakeCache.txt" looked REGEX "^(Clang|LLVM|GTest|benchmark)_DIR:")
expect("NOT looked" "ctx looked for packages the runtime does not need: ${looked}")
file(GLOB_RECURSE examples "${build}/*ctx-example-service*")
expect("NOT examples" "ctx's example was built: ${examples}")

# Nothing global: no compile database the consumer did not ask for, no
# bin/ or lib/ (or anything else of ctx's) in its top-level build directory.
expect("NOT EXISTS \"${build}/compile_commands.json\"" "a compile database was forced on")
foreach(dir bin lib tools)
  expect("NOT EXISTS \"${build}/${dir}\"" "ctx wrote ${dir}/ into the consumer's build directory")
endforeach()

# No tests of ctx's in the consumer's ctest.
run("ctest -N" ${CMAKE_COMMAND} -E chdir "${build}" ctest -N)
string(REGEX MATCH "Total Tests: ([0-9]+)" _ "${out}")
if(CONSUMER STREQUAL "fetchcontent")
  expect("CMAKE_MATCH_1 EQUAL 1" "ctest lists tests that are not the consumer's:\n${out}")
else()
  expect("CMAKE_MATCH_1 EQUAL 0" "ctest lists tests that are not the consumer's:\n${out}")
endif()

# No install rules of ctx's: the consumer's install has its program alone.
run("install" ${CMAKE_COMMAND} --install "${build}" --prefix "${WORK_DIR}/prefix")
file(GLOB_RECURSE installed RELATIVE "${WORK_DIR}/prefix" "${WORK_DIR}/prefix/*")
expect("installed STREQUAL \"bin/consumer\"" "the install has more than the consumer: ${installed}")

if(CONSUMER STREQUAL "runtime-subdirectory")
  # Shared, with the versioned SONAME, and the consumer records it.
  include("${CTX_SOURCE_DIR}/runtime/cmake/ctxVersion.cmake")
  file(GLOB libs RELATIVE "${build}/ctx-runtime" "${build}/ctx-runtime/libctx_runtime.so*")
  list(SORT libs)
  set(want "libctx_runtime.so;libctx_runtime.so.${CTX_SOVERSION};libctx_runtime.so.${CTX_VERSION}")
  expect("libs STREQUAL want" "shared library files are ${libs}, not ${want}")
  run("readelf" readelf -d "${build}/ctx-runtime/libctx_runtime.so.${CTX_VERSION}")
  expect("out MATCHES \"SONAME.*\\\\[libctx_runtime.so.${CTX_SOVERSION}\\\\]\"" "no SONAME libctx_runtime.so.${CTX_SOVERSION}:\n${out}")
  run("readelf" readelf -d "${build}/consumer")
  expect("out MATCHES \"NEEDED.*\\\\[libctx_runtime.so.${CTX_SOVERSION}\\\\]\"" "the consumer does not need libctx_runtime.so.${CTX_SOVERSION}:\n${out}")
else()
  # Asked for, the install rules are there: find_package(ctx) from the
  # consumer's install prefix.
  run("reconfigure with CTX_INSTALL=ON" ${CMAKE_COMMAND} -DCTX_INSTALL=ON "${build}")
  run("install" ${CMAKE_COMMAND} --install "${build}" --prefix "${WORK_DIR}/prefix2")
  file(GLOB_RECURSE config "${WORK_DIR}/prefix2/*/ctxConfig.cmake")
  expect("config" "CTX_INSTALL=ON installed no ctxConfig.cmake")
  # ctx's packaging is its own build's, never the consumer's CPack.
  expect("NOT EXISTS \"${build}/CPackConfig.cmake\"" "ctx wrote CPackConfig.cmake into the consumer's build")
endif()
message(STATUS "${CONSUMER}: ok")
