// Random identifiers (room epochs) that do not repeat across restarts.
#pragma once

#include <string>

namespace chatd::util {

// 16 lower-case hex digits from a seeded 64-bit generator (thread-safe).
std::string randomHexId();

}  // namespace chatd::util
