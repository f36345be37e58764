// What the soak test measures of the daemon from outside: resident memory and
// open descriptors from /proc/<pid>, and the connection count from /healthz.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "process_memory.h"

namespace chatd::soak {

using testing::residentBytes;  // VmRSS of a pid in bytes
// Entries of /proc/<pid>/fd.
std::size_t openFds(pid_t pid);
// The "connections" of GET /healthz on 127.0.0.1:`port`; nullopt on any failure.
std::optional<std::uint64_t> healthConnections(std::uint16_t port);

}  // namespace chatd::soak
