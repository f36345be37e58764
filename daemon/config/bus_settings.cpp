// The bus section of chatd.yaml: which bus, and where Redis is.
// docs/configuration.md documents the same table.
#include <array>
#include <chrono>
#include <limits>

#include "config/settings_reader.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

constexpr std::array<std::string_view, 2> kBusTypes{"memory", "redis"};
constexpr std::size_t kMaxKeyPrefix = 64;
// A crashed instance's users leave within instance_ttl + instance_ttl/3 (the
// others' heartbeat period): at most 45s keeps that within a minute.
constexpr std::chrono::milliseconds kMaxInstanceTtl = 45s;
// bus.redis.max_outbound_bytes: at least a few of the largest messages (a
// 4 KiB text escaped in JSON, plus the call's keys and arguments); at most
// 1 GiB, far beyond what Redis takes in one timeout.
constexpr std::int64_t kMinOutboundBytes = 64 * 1024;
constexpr std::int64_t kMaxOutboundBytes = std::int64_t{1} << 30;

template <typename Target, typename Value>
void store(Target& target, const std::optional<Value>& value) {
    if (value) target = static_cast<Target>(*value);
}

// What is wrong with a key prefix, or "" when it is fine. It starts every
// key and channel name and a PSUBSCRIBE pattern, so no glob characters.
std::string keyPrefixProblem(std::string_view prefix) {
    if (prefix.size() > kMaxKeyPrefix) return "must be at most 64 characters";
    for (char c : prefix) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\')
            return "must not contain * ? [ ] or \\ (it starts a subscription pattern)";
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "must not contain spaces or control characters";
    }
    return "";
}

void readRedis(const Field& field, RedisBusConfig& redis, ValueReader& read) {
    std::optional<Field> socket;
    std::optional<Field> hostOrPort;
    const KeyHandler keys[] = {
        {"host",
         [&](const Field& f) {
             hostOrPort = f;
             store(redis.host, read.string(f));
         }},
        {"port",
         [&](const Field& f) {
             hostOrPort = f;
             store(redis.port, read.integer(f, 1, 65535));
         }},
        {"unix_socket",
         [&](const Field& f) {
             auto path = read.string(f);
             if (!path) return;
             if ((*path)[0] != '/') return read.error(f, "must be an absolute path, got '" + *path + "'");
             socket = f;
             redis.unix_socket = *path;
         }},
        {"password", [&](const Field& f) { store(redis.password, read.string(f)); }},
        {"database",
         [&](const Field& f) { store(redis.database, read.integer(f, 0, std::numeric_limits<int>::max())); }},
        {"key_prefix",
         [&](const Field& f) {
             auto prefix = read.string(f);
             if (!prefix) return;
             if (std::string problem = keyPrefixProblem(*prefix); !problem.empty()) return read.error(f, problem);
             redis.key_prefix = *prefix;
         }},
        {"history_length", [&](const Field& f) { store(redis.history_length, read.integer(f, 0, 100'000)); }},
        {"history_age", [&](const Field& f) { store(redis.history_age, read.duration(f, 0ms, 8760h)); }},
        {"timeout", [&](const Field& f) { store(redis.timeout, read.duration(f, 100ms, 5min)); }},
        {"instance_ttl", [&](const Field& f) { store(redis.instance_ttl, read.duration(f, 3s, kMaxInstanceTtl)); }},
        {"max_outbound_bytes",
         [&](const Field& f) { store(redis.max_outbound_bytes, read.size(f, kMinOutboundBytes, kMaxOutboundBytes)); }},
    };
    read.mapping(field, keys);
    if (socket && hostOrPort)
        read.error(*socket, "give either unix_socket or host and port, not both (" + hostOrPort->key + " is set)");
}

}  // namespace

void readBus(const Field& field, BusConfig& bus, ValueReader& read) {
    const KeyHandler keys[] = {
        {"type",
         [&](const Field& f) {
             if (auto type = read.choice(f, kBusTypes)) bus.type = *type == "redis" ? BusType::Redis : BusType::Memory;
         }},
        {"redis", [&](const Field& f) { readRedis(f, bus.redis, read); }},
    };
    read.mapping(field, keys);
}

}  // namespace chatd::config
