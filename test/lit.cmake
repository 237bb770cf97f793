# The lit suites (test/checks, test/tools), run by ctest as one test per suite
# directory. Tools come from the LLVM installation the checks build against.
set(_llvm_bin "${CTX_LLVM_PREFIX}/bin")
find_program(CTX_LIT NAMES lit.py lit
  PATHS "${CTX_LLVM_PREFIX}/build/utils/lit" "${_llvm_bin}" NO_DEFAULT_PATH REQUIRED)
find_program(CTX_FILECHECK FileCheck PATHS "${_llvm_bin}" NO_DEFAULT_PATH REQUIRED)
find_program(CTX_NOT not PATHS "${_llvm_bin}" NO_DEFAULT_PATH REQUIRED)
find_program(CTX_CLANG_TIDY clang-tidy PATHS "${_llvm_bin}" NO_DEFAULT_PATH REQUIRED)
find_package(Python3 REQUIRED COMPONENTS Interpreter)
# The other LLVM major, to test the plugin's version guard (optional).
if(CTX_LLVM_VERSION STREQUAL "19")
  set(_other 22)
else()
  set(_other 19)
endif()
find_program(CTX_OTHER_CLANG_TIDY clang-tidy PATHS "/usr/lib/llvm-${_other}/bin" NO_DEFAULT_PATH)
if(NOT CTX_OTHER_CLANG_TIDY)
  set(CTX_OTHER_CLANG_TIDY "")
endif()

configure_file(lit.site.cfg.py.in ${CMAKE_CURRENT_BINARY_DIR}/lit.site.cfg.py @ONLY)

foreach(suite checks tools)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${suite})
    add_test(NAME lit-${suite}
      COMMAND ${Python3_EXECUTABLE} ${CTX_LIT} -sv --param ctx_site=${CMAKE_CURRENT_BINARY_DIR}/lit.site.cfg.py
              ${CMAKE_CURRENT_SOURCE_DIR}/${suite})
  endif()
endforeach()
