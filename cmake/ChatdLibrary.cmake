# chatd_library(<name> SOURCES <file>... [USES <area>...] [PRIVATE_USES <area>...]
#               [LINKS <target>...] [PRIVATE_LINKS <target>...])
#
# Declares the daemon library chatd_<name> of the folder daemon/<name>: its
# sources, the other daemon areas it may use (USES: in its headers too;
# PRIVATE_USES: in its sources only) and the outside libraries it links.
#
# The layering is enforced by the include path: a library sees "<area>/x.h"
# only for itself and the areas it uses, directly or through them. Each area's
# include root is a build-tree folder holding one link, <area> -> daemon/<area>,
# so an area that includes a header of one it does not use (a layer reaching
# up) fails to compile instead of growing a hidden dependency.
function(chatd_library name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;USES;PRIVATE_USES;LINKS;PRIVATE_LINKS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "chatd_library(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  set(include_root ${PROJECT_BINARY_DIR}/daemon-include/${name})
  file(MAKE_DIRECTORY ${include_root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${include_root}/${name} SYMBOLIC)

  list(TRANSFORM ARG_USES PREPEND chatd_)
  list(TRANSFORM ARG_PRIVATE_USES PREPEND chatd_)
  add_library(chatd_${name} STATIC ${ARG_SOURCES})
  target_include_directories(chatd_${name} PUBLIC ${include_root})
  target_link_libraries(chatd_${name}
    PUBLIC chatd_warnings ${ARG_USES} ${ARG_LINKS}
    PRIVATE ${ARG_PRIVATE_USES} ${ARG_PRIVATE_LINKS})
endfunction()
