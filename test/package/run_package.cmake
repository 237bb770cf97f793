# ctest driver for test/package: makes this build's Debian packages with
# CPack and a full install next to them, then checks both (check_debs.py).
#   -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= -DPYTHON= -DLLVM= -DRESOURCE_DIR=
file(REMOVE_RECURSE "${WORK_DIR}")
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()
run("cpack" cpack --config "${BUILD_DIR}/CPackConfig.cmake" -G DEB -B "${WORK_DIR}/debs")
run("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${WORK_DIR}/install")
run("check_debs.py" "${PYTHON}" "${CMAKE_CURRENT_LIST_DIR}/check_debs.py"
    --debs "${WORK_DIR}/debs" --install "${WORK_DIR}/install" --source "${SOURCE_DIR}"
    --build "${BUILD_DIR}" --llvm "${LLVM}" --resource-dir "${RESOURCE_DIR}")
