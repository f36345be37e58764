// Time sources: wall clock for message timestamps, monotonic for timeouts.
#pragma once

#include <chrono>
#include <cstdint>

namespace chatd::util {

using SteadyClock = std::chrono::steady_clock;
using SteadyTime = SteadyClock::time_point;

// Milliseconds since the Unix epoch (the `ts` of chat messages).
std::int64_t wallClockMillis();

inline SteadyTime steadyNow() { return SteadyClock::now(); }

}  // namespace chatd::util
