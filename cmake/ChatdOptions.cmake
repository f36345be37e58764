# Build options shared by every chatd target.
option(CHATD_BUILD_TESTS "Build the test suite" ON)
option(CHATD_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
set(CHATD_PUBLIC_DIR "${PROJECT_SOURCE_DIR}/public" CACHE PATH
    "Built-in default for public_dir (packages set /usr/share/chatd/public)")
set(CHATD_PLUGIN_DIR "${PROJECT_BINARY_DIR}/plugins" CACHE PATH
    "Built-in default for plugin_dir (packages set the multiarch plugin dir)")

# chatd_warnings: the warning set every target of ours compiles with.
# CHATD_WERROR (CI's builds) turns each warning into an error.
option(CHATD_WERROR "Treat compiler warnings as errors" OFF)
add_library(chatd_warnings INTERFACE)
target_compile_options(chatd_warnings INTERFACE -Wall -Wextra -Wshadow -Wconversion -Wformat=2 -Wimplicit-fallthrough
                       $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor> $<$<COMPILE_LANGUAGE:CXX>:-Woverloaded-virtual>
                       $<$<BOOL:${CHATD_WERROR}>:-Werror>)

if(CHATD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# CHATD_SANITIZE_THREAD: ThreadSanitizer (own build dir; CI runs the
# integration tests with it). TSan cannot be combined with ASan. Run with
# TSAN_OPTIONS=suppressions=<source>/tests/tsan.supp (third-party false positives only).
option(CHATD_SANITIZE_THREAD "Build with ThreadSanitizer" OFF)
if(CHATD_SANITIZE_THREAD)
  if(CHATD_SANITIZE OR CHATD_FUZZ)
    message(FATAL_ERROR "CHATD_SANITIZE_THREAD excludes CHATD_SANITIZE and CHATD_FUZZ (TSan cannot run with ASan)")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# CHATD_FUZZ: the libFuzzer targets of tests/fuzz (clang only, own build dir:
# CC=clang CXX=clang++ cmake -DCHATD_FUZZ=ON -DCHATD_BUILD_TESTS=OFF ...).
# Every target is compiled with coverage instrumentation plus ASan+UBSan; the
# fuzzers alone link libFuzzer's main (-fsanitize=fuzzer). `ctest -L fuzz`
# runs each for CHATD_FUZZ_SECONDS and replays tests/fuzz/regressions.
option(CHATD_FUZZ "Build the libFuzzer targets (tests/fuzz); needs clang" OFF)
set(CHATD_FUZZ_SECONDS 60 CACHE STRING "Seconds each fuzzer runs as a ctest (label fuzz)")
if(CHATD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CHATD_FUZZ needs clang: CC=clang CXX=clang++ cmake -DCHATD_FUZZ=ON ...")
  endif()
  if(CHATD_SANITIZE)
    message(FATAL_ERROR "CHATD_FUZZ already builds with ASan+UBSan: leave CHATD_SANITIZE off")
  endif()
  # Plugins (MODULE libraries) stay uninstrumented: clang leaves the ASan
  # runtime out of shared objects, which breaks their --no-undefined link.
  set(not_plugin "$<NOT:$<STREQUAL:$<TARGET_PROPERTY:TYPE>,MODULE_LIBRARY>>")
  add_compile_options("$<${not_plugin}:-fsanitize=fuzzer-no-link,address,undefined>"
                      "$<${not_plugin}:-fno-sanitize-recover=undefined>" -fno-omit-frame-pointer)
  add_link_options("$<${not_plugin}:-fsanitize=address,undefined>")
  enable_testing()
  # Independent of CHATD_BUILD_TESTS. The daemon libraries the fuzzers link
  # are defined later; CMake resolves target names when it generates.
  add_subdirectory(${PROJECT_SOURCE_DIR}/tests/fuzz ${PROJECT_BINARY_DIR}/tests/fuzz)
endif()

# CHATD_CHECK_THREADS: the thread-ownership assertions (util/thread_owner.h)
# are compiled into Debug builds and every sanitizer build; release builds
# compile them out.
if(CHATD_SANITIZE OR CHATD_SANITIZE_THREAD OR CHATD_FUZZ)
  add_compile_definitions(CHATD_CHECK_THREADS)
else()
  add_compile_definitions($<$<CONFIG:Debug>:CHATD_CHECK_THREADS>)
endif()
