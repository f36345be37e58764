# The plugin authors' kit, end to end (run by ctest with cmake -P):
#  1. cmake --install the SDK component of chatd's build into a fresh prefix;
#  2. configure and build tests/plugins/out_of_tree (copied to a fresh folder)
#     with nothing but find_package(chatd) and that prefix;
#  3. run the plugin's own fake-host test built there;
#  4. load the built shout.so into Pipeline::build (plugin_load_check).
foreach(var CHATD_BUILD_DIR PLUGIN_SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER LOAD_CHECK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "out_of_tree_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${step} failed (${result}):\n${out}\n${err}")
  endif()
  message(STATUS "${step}: ok")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")

run("install the SDK" ${CMAKE_COMMAND} --install "${CHATD_BUILD_DIR}" --prefix "${prefix}" --component sdk)
foreach(installed include/chatd/plugin_abi.h include/chatd/plugin.hpp include/chatd/testing/fake_host.hpp)
  if(NOT EXISTS "${prefix}/${installed}")
    message(FATAL_ERROR "the SDK install lacks ${installed}")
  endif()
endforeach()

file(COPY "${PLUGIN_SOURCE_DIR}/" DESTINATION "${WORK_DIR}/src")
run("configure the plugin" ${CMAKE_COMMAND} -S "${WORK_DIR}/src" -B "${WORK_DIR}/build" -G "${GENERATOR}"
    "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Release)
run("build the plugin" ${CMAKE_COMMAND} --build "${WORK_DIR}/build")

if(NOT EXISTS "${WORK_DIR}/build/shout.so")
  message(FATAL_ERROR "chatd_add_plugin(shout) did not produce ${WORK_DIR}/build/shout.so")
endif()
run("the plugin's fake-host test" "${WORK_DIR}/build/shout_test")
run("load it with Pipeline::build" "${LOAD_CHECK}" "${WORK_DIR}/build" shout "{suffix: '!!'}" "hello" "HELLO!!")
