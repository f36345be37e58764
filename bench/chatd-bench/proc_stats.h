// What /proc tells about a process (the server under test): CPU time, RSS,
// threads, open files; and clocks for the generator itself.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace chatd::bench {

struct ProcessSample {
    double cpu_s = 0;  // user + system, all threads
    std::uint64_t rss_bytes = 0;
    unsigned threads = 0;
};

// Reads /proc/<pid>/stat; nullopt when the process is gone.
std::optional<ProcessSample> sampleProcess(pid_t pid);

// Parses the text of a /proc/<pid>/stat file (exposed for tests).
std::optional<ProcessSample> parseProcStat(std::string_view text, long ticks_per_second, long page_bytes);

// Open file descriptors of `pid` (entries of /proc/<pid>/fd); nullopt if unreadable.
std::optional<std::size_t> openFileCount(pid_t pid);

// CLOCK_MONOTONIC in ns: the clock every stamp and receive time uses.
std::int64_t monotonicNs();
// CPU time of the calling thread, in seconds.
double threadCpuSeconds();

}  // namespace chatd::bench
