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
    Measure,  // senders send; deliveries are timed (bigroom: churners churn)
    Flood,    // bigroom with flooders: the same, and the flooders flood
    Drain,    // sending stopped; waiting for stragglers
    Done,     // threads exit
};

struct alignas(64) WorkerCounters {
    std::atomic<std::uint64_t> connected{0};  // handshakes completed
    std::atomic<std::uint64_t> failed{0};     // connects or handshakes that failed
    std::atomic<std::uint64_t> open{0};       // open right now
    std::atomic<std::uint64_t> lost{0};       // open connections the server closed
    std::atomic<std::uint64_t> joined{0};     // JSON: first welcome received
    std::atomic<std::int64_t> last_welcome_ns{0};  // ... the latest of them
    std::atomic<std::uint64_t> lost_members{0};    // lost, of the members
    std::atomic<std::uint64_t> lost_unwelcomed{0}; // lost before their first welcome
    std::atomic<std::uint64_t> presence{0};   // JSON: presence frames received
    std::atomic<std::uint64_t> errors{0};     // JSON: error frames received
    std::atomic<std::uint64_t> churn_leaves{0};   // churners that left (closed)
    std::atomic<std::uint64_t> churn_joins{0};    // ... and were welcomed again
    std::atomic<std::uint64_t> churn_skipped{0};  // turns a churner was not back yet
    std::atomic<std::uint64_t> flood_sent{0};       // flood messages written
    std::atomic<std::uint64_t> flood_delivered{0};  // flood copies received
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
    // Chat messages intended from here on count as sent during the flood.
    std::atomic<std::int64_t> flood_start_ns{INT64_MAX};
};

}  // namespace chatd::bench
