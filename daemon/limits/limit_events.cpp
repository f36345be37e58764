#include "limits/limit_events.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace chatd::limits {

std::string_view limitName(Limit limit) {
    switch (limit) {
        case Limit::Connections:
            return "connections";
        case Limit::ConnectionsPerAddress:
            return "connections_per_address";
        case Limit::ConnectionRate:
            return "connection_rate";
        case Limit::AddressTable:
            return "address_table";
        case Limit::HandshakeTimeout:
            return "handshake_timeout";
        case Limit::HeaderSize:
            return "header_size";
        case Limit::MessageSize:
            return "message_size";
        case Limit::SlowConsumer:
            return "slow_consumer";
        case Limit::Rooms:
            return "rooms";
        case Limit::RoomUsers:
            return "room_users";
        case Limit::HttpQueue:
            return "http_queue";
        case Limit::PendingPerAddress:
            return "pending_per_address";
        case Limit::SessionPending:
            return "session_pending_commands";
        case Limit::ShardQueue:
            return "shard_queue_bytes";
        case Limit::BusOutbound:
            return "bus_outbound_bytes";
        case Limit::SessionMessageRate:
            return "session_messages_per_second";
    }
    return "unknown";
}

namespace {

// One throttle per limit, each with `interval` (built in place: a throttle does not move).
template <std::size_t... Index>
std::array<util::LogThrottle, kLimitCount> throttles(LimitEvents::Clock::duration interval,
                                                     std::index_sequence<Index...>) {
    return {util::LogThrottle(((void)Index, interval))...};
}

}  // namespace

LimitEvents::LimitEvents(Clock::duration interval, Sink sink)
    : sink_(std::move(sink)), logs_(throttles(interval, std::make_index_sequence<kLimitCount>{})) {
    if (!sink_) sink_ = [](std::string_view line) { spdlog::warn("{}", line); };
}

void LimitEvents::hit(Limit limit, std::string_view detail, Clock::time_point now) {
    hits_[static_cast<std::size_t>(limit)].fetch_add(1, std::memory_order_relaxed);
    log(limit, detail, now);
}

void LimitEvents::log(Limit limit, std::string_view detail, Clock::time_point now) {
    const auto left_out = logs_[static_cast<std::size_t>(limit)].pass(now);
    if (!left_out) return;
    std::string line = "limit hit: ";
    line += limitName(limit);
    line += ": ";
    line += detail;
    line += util::leftOutNote(*left_out);
    sink_(line);
}

std::uint64_t LimitEvents::hits(Limit limit) const {
    return hits_[static_cast<std::size_t>(limit)].load(std::memory_order_relaxed);
}

}  // namespace chatd::limits
