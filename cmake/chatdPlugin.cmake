# chatd_add_plugin(): build a chatd plugin. Part of the installed CMake package
# (find_package(chatd) includes it) and used by chatd's own plugins.
#
#   chatd_add_plugin(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>] [ALLOW_UNDEFINED])
#
# Produces <name>.so (no "lib" prefix: what the daemon looks for as
# <plugin_dir>/<name>.so), compiled as C++20 against chatd::sdk (the SDK
# headers and yaml-cpp). Only the plugin's entry point, chatd_plugin_entry, is
# exported: symbols are hidden by default and a version script
# (chatdPlugin.map, beside this file) keeps everything else local, the
# template code a plugin instantiates from std:: and yaml-cpp included, so two
# plugins never clash. An undefined symbol is a link error here instead of a
# load error in the daemon (ALLOW_UNDEFINED turns that check off).
include_guard(GLOBAL)

function(chatd_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "ALLOW_UNDEFINED" "OUTPUT_DIRECTORY" "SOURCES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "chatd_add_plugin(${name}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "chatd_add_plugin(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE chatd::sdk)
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    OUTPUT_NAME "${name}"
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  set(version_script ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/chatdPlugin.map)
  target_link_options(${name} PRIVATE "LINKER:--version-script=${version_script}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${version_script})
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
  if(NOT ARG_ALLOW_UNDEFINED)
    target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
