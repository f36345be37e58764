// A free loopback TCP port for a server the tests start as a child process
// (redis-server, nginx) that cannot be told to pick its own with port 0.
#pragma once

#include <cstdint>

namespace chatd::testing {

// A port nobody listened on a moment ago (the kernel's pick for port 0). The
// child binds it later and may lose a race for it: callers retry the start.
std::uint16_t freeLoopbackPort();

}  // namespace chatd::testing
