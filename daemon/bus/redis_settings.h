// The Redis bus' settings (filled from the bus.redis section of the config).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "bus/redis_connection.h"

namespace chatd::bus {

struct RedisSettings {
    RedisEndpoint endpoint;
    std::string password;  // empty: no AUTH
    unsigned database = 0;
    std::string key_prefix = "chatd:";
    std::size_t history_length = 100;                   // messages kept per room (the recovery window)
    std::chrono::milliseconds history_age{86'400'000};  // 0: kept until pushed out by newer ones
    std::chrono::milliseconds timeout{5'000};           // connect, answer and heartbeat round trip
    std::chrono::milliseconds instance_ttl{30'000};     // a silent instance's members go after this
    std::chrono::milliseconds max_backoff{5'000};       // between reconnect attempts
    std::string instance_id;                            // empty: a random one
    // Commands sent to Redis and not answered yet, in bytes: a message that
    // would take them over this is refused (RedisBus::handle(PublishRequest&)).
    std::size_t max_outbound_bytes = 16 * 1024 * 1024;
};

}  // namespace chatd::bus
