// Process resource limits the daemon adjusts for itself at start.
#pragma once

#include <cstdint>

namespace chatd::app {

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
std::uint64_t raiseOpenFileLimit();

}  // namespace chatd::app
