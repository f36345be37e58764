// RedisCalls: the key names of one deployment (bus.redis.key_prefix) and the
// argument lists of every script call (redis_scripts.h), built from bus
// requests. Pure functions of their inputs, so the scripts can be tested
// against a real Redis with exactly what the bus sends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bus/bus.h"
#include "bus/redis_scripts.h"
#include "bus/redis_settings.h"

namespace chatd::bus {

// A script call: EVALSHA <sha> <keys.size()> keys... args...
struct ScriptCall {
    ScriptId script;
    std::vector<std::string> keys;
    std::vector<std::string> args;
};

class RedisCalls {
public:
    RedisCalls(const RedisSettings& settings, std::string instance);

    const std::string& instance() const { return instance_; }
    std::string roomChannel(std::string_view room) const { return prefix_ + "room:" + std::string(room); }
    std::string roomPattern() const { return prefix_ + "room:*"; }
    std::string ownChannel() const { return prefix_ + "instance:" + instance_; }
    std::string roomKey(std::string_view room, std::string_view part) const;
    std::string pluginsChannel() const { return prefix_ + "plugins"; }
    std::string instancesKey() const { return prefix_ + "instances"; }
    std::string instanceRoomsKey() const { return prefix_ + "instance:" + instance_ + ":rooms"; }
    // The room named by a room channel, or "" when it is not one.
    std::string_view roomOfChannel(std::string_view channel) const;

    // `epoch` is the one a room gets if Redis has none for it.
    ScriptCall publish(const PublishRequest& request, std::uint64_t counter, const std::string& epoch) const;
    ScriptCall claim(const ClaimRequest& request, const std::string& epoch) const;
    ScriptCall release(const ReleaseRequest& request) const;
    ScriptCall kick(const KickRequest& request) const;
    ScriptCall resync(const ResyncRequest& request, const std::string& epoch, const std::string& new_epoch) const;
    ScriptCall rooms() const;
    ScriptCall who(const std::string& room) const;
    // Tells the other live instances holding `nick` to close it (a D record).
    ScriptCall disconnectNick(const std::string& nick, const std::string& reason) const;
    ScriptCall heartbeat() const;
    ScriptCall goodbye() const;

private:
    std::string prefix_;
    std::string instance_;
    std::size_t history_length_;
    std::int64_t history_age_ms_;
    std::int64_t ttl_ms_;
};

}  // namespace chatd::bus
