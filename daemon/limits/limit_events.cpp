#include "limits/limit_events.h"

#include <spdlog/spdlog.h>

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
    }
    return "unknown";
}

LimitEvents::LimitEvents(Clock::duration interval, Sink sink) : interval_(interval), sink_(std::move(sink)) {
    if (!sink_) sink_ = [](std::string_view line) { spdlog::warn("{}", line); };
}

void LimitEvents::hit(Limit limit, std::string_view detail, Clock::time_point now) {
    limits_[static_cast<std::size_t>(limit)].hits.fetch_add(1, std::memory_order_relaxed);
    log(limit, detail, now);
}

void LimitEvents::log(Limit limit, std::string_view detail, Clock::time_point now) {
    PerLimit& state = limits_[static_cast<std::size_t>(limit)];
    const Clock::rep ticks = now.time_since_epoch().count();
    Clock::rep next = state.next_log.load(std::memory_order_relaxed);
    // One thread wins the right to log for this interval; the others count as suppressed.
    do {
        if (ticks < next) {
            state.suppressed.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    } while (!state.next_log.compare_exchange_weak(next, ticks + interval_.count(), std::memory_order_relaxed));
    const std::uint64_t suppressed = state.suppressed.exchange(0, std::memory_order_relaxed);
    std::string line = "limit hit: ";
    line += limitName(limit);
    line += ": ";
    line += detail;
    if (suppressed > 0) {
        line += " (" + std::to_string(suppressed) + " more since the last line)";
    }
    sink_(line);
}

std::uint64_t LimitEvents::hits(Limit limit) const {
    return limits_[static_cast<std::size_t>(limit)].hits.load(std::memory_order_relaxed);
}

}  // namespace chatd::limits
