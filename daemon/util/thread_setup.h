// How a thread presents itself to the system: a name that `top -H`,
// `ps -L`, perf and gdb show, and, for background threads, a scheduling
// policy whose wake-ups do not preempt the thread they share a core with.
#pragma once

#include <string>
#include <string_view>

namespace chatd::util {

// Names the calling thread; the kernel keeps the first 15 bytes.
void nameThisThread(std::string_view name);

// Moves the calling thread to SCHED_BATCH: it still gets its fair share of
// the CPU, but waking it (a timer, a notify) never preempts the thread
// running on its core, so background work waits for the current burst of
// the message path to end. Returns "" or why not (a seccomp filter, say).
std::string runThisThreadInBackground();

}  // namespace chatd::util
