// RunControl: what the main thread and the generator threads share: the
// phase of the run (main moves it forward, workers follow), the measuring
// window, and live counters (relaxed atomics, one cache line per worker) for
// the progress line and the phase barriers.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstdint>

#include "options.h"

namespace chatd::bench {

enum class Phase : int {
    Connect,  // open every connection (JSON: and join)
    Warmup,   // client 0 broadcasts warm-up messages until every client got one
    Measure,  // senders send; deliveries are timed
    Drain,    // sending stopped; waiting for stragglers
    Done,     // threads exit
};

struct alignas(64) WorkerCounters {
    std::atomic<std::uint64_t> connected{0};  // handshakes completed
    std::atomic<std::uint64_t> failed{0};     // connects or handshakes that failed
    std::atomic<std::uint64_t> open{0};       // open right now
    std::atomic<std::uint64_t> lost{0};       // open connections the server closed
    std::atomic<std::uint64_t> joined{0};     // JSON: welcome received
    std::atomic<std::uint64_t> warm{0};       // clients that received a warm-up message
    std::atomic<std::uint64_t> sent{0};       // stamped messages sent
    std::atomic<std::uint64_t> delivered{0};  // stamped messages received (all clients)
    std::atomic<std::uint64_t> delivered_in_window{0};  // ... while measuring
    std::atomic<Phase> following{Phase::Connect};  // the phase the worker acts on now
};

struct RunControl {
    explicit RunControl(const Options& o) : options(o) {}
    const Options& options;
    sockaddr_in target{};
    sockaddr_in target2{};  // --port2: where odd-numbered clients connect
    bool bind_sources = false;  // spread over 127.0.0.x source addresses
    std::atomic<Phase> phase{Phase::Connect};
    std::atomic<std::int64_t> measure_start_ns{0};
};

}  // namespace chatd::bench
