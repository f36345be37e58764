// What a test measures of a process's memory from outside, through /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace chatd::testing {

// VmRSS of `pid` in bytes (0 when unreadable).
std::uint64_t residentBytes(pid_t pid);

}  // namespace chatd::testing
