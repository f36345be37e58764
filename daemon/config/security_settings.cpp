// The sections that keep a public daemon safe: limits (connections, rates,
// sizes, rooms), auth (optional JWT on the upgrade) and metrics (the
// loopback /metrics listener). docs/configuration.md documents the same keys.
#include <array>
#include <limits>

#include "auth/secret.h"
#include "config/settings_reader.h"
#include "limits/address_key.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();
constexpr std::array<std::string_view, 2> kAuthModes{"none", "jwt"};
constexpr std::array<std::string_view, 2> kBooleans{"true", "false"};

template <typename Target, typename Value>
void store(Target& target, const std::optional<Value>& value) {
    if (value) target = static_cast<Target>(*value);
}

// A list of IP networks ("10.0.0.0/8", "::1"); replaces `networks` only when every entry is valid.
void readNetworks(const Field& field, std::vector<std::string>& networks, ValueReader& read) {
    std::vector<std::string> accepted;
    bool allValid = true;
    const bool isList = read.list(field, [&](const Field& item) {
        auto text = read.string(item);
        if (text && !limits::IpNetwork::parse(*text)) {
            read.error(item, "expected an IP address or network such as 10.0.0.0/8 or ::1, got " + describe(item.node));
            text.reset();
        }
        if (!text) {
            allValid = false;
            return;
        }
        accepted.push_back(*text);
    });
    if (isList && allValid) networks = std::move(accepted);
}

}  // namespace

void readLimits(const Field& field, LimitsConfig& limits, ValueReader& read) {
    const KeyHandler keys[] = {
        {"max_connections", [&](const Field& f) { store(limits.max_connections, read.integer(f, 1, kNoMax)); }},
        {"max_connections_per_address",
         [&](const Field& f) { store(limits.max_connections_per_address, read.integer(f, 0, kNoMax)); }},
        {"new_connections_per_second",
         [&](const Field& f) { store(limits.new_connections_per_second, read.integer(f, 0, 1'000'000)); }},
        {"new_connections_burst",
         [&](const Field& f) { store(limits.new_connections_burst, read.integer(f, 1, 1'000'000)); }},
        {"handshake_timeout", [&](const Field& f) { store(limits.handshake_timeout, read.duration(f, 100ms, 5min)); }},
        {"max_pending_per_address",
         [&](const Field& f) { store(limits.max_pending_per_address, read.integer(f, 0, 100'000)); }},
        {"max_header_bytes", [&](const Field& f) { store(limits.max_header_bytes, read.size(f, 1024, 1024 * 1024)); }},
        {"max_rooms", [&](const Field& f) { store(limits.max_rooms, read.integer(f, 1, kNoMax)); }},
        {"max_room_users", [&](const Field& f) { store(limits.max_room_users, read.integer(f, 1, kNoMax)); }},
        {"send_queue_bytes", [&](const Field& f) { store(limits.send_queue_bytes, read.size(f, 4096, kNoMax)); }},
        {"session_pending_commands",
         [&](const Field& f) { store(limits.session_pending_commands, read.integer(f, 1, 100'000)); }},
        {"shard_queue_bytes", [&](const Field& f) { store(limits.shard_queue_bytes, read.size(f, 65'536, kNoMax)); }},
        {"session_messages_per_second",
         [&](const Field& f) { store(limits.session_messages_per_second, read.integer(f, 0, 1'000'000)); }},
        {"session_message_burst",
         [&](const Field& f) { store(limits.session_message_burst, read.integer(f, 1, 1'000'000)); }},
        {"exempt_addresses", [&](const Field& f) { readNetworks(f, limits.exempt_addresses, read); }},
        {"trusted_proxies", [&](const Field& f) { readNetworks(f, limits.trusted_proxies, read); }},
    };
    read.mapping(field, keys);
}

void readAuth(const Field& field, AuthConfig& auth, ValueReader& read) {
    const KeyHandler keys[] = {
        {"mode",
         [&](const Field& f) {
             if (auto mode = read.choice(f, kAuthModes)) auth.mode = *mode == "jwt" ? AuthMode::Jwt : AuthMode::None;
         }},
        {"secret", [&](const Field& f) { store(auth.secret, read.string(f)); }},
        {"secret_file", [&](const Field& f) { store(auth.secret_file, read.string(f)); }},
        {"issuer", [&](const Field& f) { store(auth.issuer, read.string(f)); }},
        {"audience", [&](const Field& f) { store(auth.audience, read.string(f)); }},
        {"nick_claim", [&](const Field& f) { store(auth.nick_claim, read.string(f)); }},
        {"leeway", [&](const Field& f) { store(auth.leeway, read.duration(f, 0ms, 1h)); }},
    };
    read.mapping(field, keys);
}

void readMetrics(const Field& field, MetricsConfig& metrics, ValueReader& read) {
    const KeyHandler keys[] = {
        {"enabled",
         [&](const Field& f) {
             if (auto value = read.choice(f, kBooleans)) metrics.enabled = *value == "true";
         }},
        {"listen", [&](const Field& f) { store(metrics.listen, read.string(f)); }},
        {"port", [&](const Field& f) { store(metrics.port, read.integer(f, 0, 65535)); }},
    };
    read.mapping(field, keys);
}

void loadAuthSecret(const std::optional<Field>& auth_field, AuthConfig& auth, const std::filesystem::path& base_dir,
                    ValueReader& read) {
    if (auth.mode != AuthMode::Jwt || !auth_field) return;
    const YAML::Node& node = auth_field->node;
    const auto fieldOf = [&](const char* key) {
        const YAML::Node child = node[key];
        return Field{child, child ? child.Mark() : auth_field->mark, std::string("auth.") + key};
    };
    if (auth.secret.empty() == auth.secret_file.empty())
        return read.error(fieldOf("mode"),
                          "auth.mode jwt needs exactly one of auth.secret and auth.secret_file (the HS256 key, at "
                          "least 32 bytes; a file the daemon alone can read is better)");
    std::string file = auth.secret_file;
    if (!file.empty() && std::filesystem::path(file).is_relative() && !base_dir.empty())
        file = (base_dir / file).lexically_normal().string();
    const auth::LoadedSecret loaded = auth::loadSecret(auth.secret, file);
    if (!loaded.secret) return read.error(fieldOf(file.empty() ? "secret" : "secret_file"), loaded.error);
    auth.secret = *loaded.secret;
    auth.secret_file = file;
}

}  // namespace chatd::config
