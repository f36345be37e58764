// LimitEvents: every limit the daemon enforces, counted, and logged without
// flooding the log: one util::LogThrottle per limit (at most one line per
// limit per interval, the next line saying how many hits were not logged in
// between). Thread-safe and lock-free (any HTTP thread, IO loop or hub shard
// may report a hit).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "util/log_throttle.h"

namespace chatd::limits {

enum class Limit {
    Connections,            // limits.max_connections (503 before the upgrade)
    ConnectionsPerAddress,  // limits.max_connections_per_address (429)
    ConnectionRate,         // limits.new_connections_per_second (429)
    AddressTable,           // the per-address table (16 shards x 4,096 addresses, fixed) full (503)
    HandshakeTimeout,       // limits.handshake_timeout: connection cut before its request head was read
    HeaderSize,             // limits.max_header_bytes (431)
    MessageSize,            // websocket.max_message_bytes (close 1009)
    SlowConsumer,           // limits.send_queue_bytes (close 1008)
    Rooms,                  // limits.max_rooms (join refused)
    RoomUsers,              // limits.max_room_users (join refused)
    HttpQueue,              // http.max_queued: every HTTP thread busy and the queue full (connection closed)
    PendingPerAddress,      // limits.max_pending_per_address: too many request heads of one address pending (closed)
    SessionPending,         // limits.session_pending_commands: a session stopped being read (backpressure)
    ShardQueue,             // limits.shard_queue_bytes: a session stopped being read, its shard's mailbox full
    BusOutbound,            // bus.redis.max_outbound_bytes: a message refused, too much waits for Redis (unavailable)
    SessionMessageRate,     // limits.session_messages_per_second: a session held unread (flood control)
};
inline constexpr std::size_t kLimitCount = 16;

// The limit's name in logs and as the `limit` label of chatd_limit_hits_total.
std::string_view limitName(Limit limit);

class LimitEvents {
public:
    using Clock = std::chrono::steady_clock;
    using Sink = std::function<void(std::string_view line)>;

    // `sink` receives each line that is let through (default: spdlog warn).
    explicit LimitEvents(Clock::duration interval = std::chrono::seconds(10), Sink sink = {});

    // Counts one hit of `limit`; logs "limit hit: <name>: <detail>" unless a
    // line for this limit was logged less than one interval ago.
    void hit(Limit limit, std::string_view detail, Clock::time_point now = Clock::now());
    // Logs as hit() does (same line, same interval) without counting: for
    // limits whose count lives elsewhere (the IO loops' message_size and
    // slow_consumer counters).
    void log(Limit limit, std::string_view detail, Clock::time_point now = Clock::now());

    std::uint64_t hits(Limit limit) const;

private:
    Sink sink_;
    std::array<std::atomic<std::uint64_t>, kLimitCount> hits_{};
    std::array<util::LogThrottle, kLimitCount> logs_;
};

}  // namespace chatd::limits
