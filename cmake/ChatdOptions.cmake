# Build options shared by every chatd target.
option(CHATD_BUILD_TESTS "Build the test suite" ON)
option(CHATD_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
set(CHATD_PUBLIC_DIR "${PROJECT_SOURCE_DIR}/public" CACHE PATH
    "Built-in default for public_dir (packages set /usr/share/chatd/public)")
set(CHATD_PLUGIN_DIR "${PROJECT_BINARY_DIR}/plugins" CACHE PATH
    "Built-in default for plugin_dir (packages set the multiarch plugin dir)")

# chatd_warnings: the warning set every target of ours compiles with.
add_library(chatd_warnings INTERFACE)
target_compile_options(chatd_warnings INTERFACE -Wall -Wextra)

if(CHATD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
