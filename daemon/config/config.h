// The daemon's configuration as a plain value: what /etc/chatd.yaml says,
// after validation. Loaded by config_loader.h; every field documented in
// docs/configuration.md with the same name as its YAML key.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace chatd::config {

struct ListenConfig {
    std::string address = "0.0.0.0";  // listen.address: IPv4/IPv6 literal or host name
    std::uint16_t port = 8080;        // listen.port: 0 = any free port (tests)
    friend bool operator==(const ListenConfig&, const ListenConfig&) = default;
};

struct HttpConfig {
    unsigned threads = 32;                              // http.threads (restart needed)
    std::chrono::milliseconds request_timeout{10'000};  // http.request_timeout (restart needed)
    std::size_t max_queued = 256;                       // http.max_queued (restart needed)
    friend bool operator==(const HttpConfig&, const HttpConfig&) = default;
};

struct WebSocketConfig {
    std::string path = "/ws";  // websocket.path (restart needed)
    // websocket.allowed_origins: exact origins ("https://chat.example.org"),
    // or "*" for any. Empty list = same-host origins only (Origin host:port
    // equals the request's Host header).
    std::vector<std::string> allowed_origins;
    std::size_t max_message_bytes = 65'536;           // websocket.max_message_bytes
    std::chrono::milliseconds ping_interval{30'000};  // websocket.ping_interval
    std::chrono::milliseconds ping_timeout{10'000};   // websocket.ping_timeout
    friend bool operator==(const WebSocketConfig&, const WebSocketConfig&) = default;
};

struct LimitsConfig {
    std::size_t max_connections = 10'000;             // limits.max_connections: over it, 503 before the upgrade
    std::size_t max_connections_per_address = 256;    // limits.max_connections_per_address: 0 = unlimited
    std::size_t new_connections_per_second = 20;      // limits.new_connections_per_second (per address): 0 = unlimited
    std::size_t new_connections_burst = 40;           // limits.new_connections_burst (per address)
    std::chrono::milliseconds handshake_timeout{10'000};  // limits.handshake_timeout: accept to complete request head
    // limits.max_pending_per_address: connections of one address whose request
    // head is not complete (at most half of http.threads apply); 0 = unlimited.
    std::size_t max_pending_per_address = 8;
    std::size_t max_header_bytes = 16'384;            // limits.max_header_bytes: request line + headers (431 above)
    std::size_t max_rooms = 10'000;                   // limits.max_rooms: rooms held at once
    std::size_t max_room_users = 10'000;              // limits.max_room_users: members of one room
    std::size_t send_queue_bytes = 1'048'576;         // limits.send_queue_bytes
    // limits.session_pending_commands: a session with this many messages
    // waiting at its hub shard stops being read until half have run.
    std::size_t session_pending_commands = 64;
    // limits.shard_queue_bytes: over this (estimated) many bytes in a hub
    // shard's mailbox, sessions sending to it stop being read until theirs ran.
    std::size_t shard_queue_bytes = 64 * 1024 * 1024;
    // limits.session_messages_per_second / limits.session_message_burst:
    // flood control: a session's chat messages beyond the burst are read at
    // this rate (its connection is not read meanwhile). 0 = off.
    std::size_t session_messages_per_second = 10;
    std::size_t session_message_burst = 30;
    // limits.exempt_addresses: networks the per-address limits do not apply to.
    std::vector<std::string> exempt_addresses{"127.0.0.0/8", "::1"};
    // limits.trusted_proxies: peers whose X-Forwarded-For names the real client.
    std::vector<std::string> trusted_proxies{"127.0.0.1", "::1"};
    friend bool operator==(const LimitsConfig&, const LimitsConfig&) = default;
};

enum class AuthMode { None, Jwt };

struct AuthConfig {
    AuthMode mode = AuthMode::None;  // auth.mode: none|jwt
    std::string secret;              // auth.secret, or the contents of auth.secret_file (loaded and checked)
    std::string secret_file;         // auth.secret_file: relative to the config file's directory
    std::string issuer;              // auth.issuer: when set, the token's iss must equal it
    std::string audience;            // auth.audience: when set, the token's aud must contain it
    std::string nick_claim = "nick"; // auth.nick_claim: the claim holding the nick (else sub)
    std::chrono::milliseconds leeway{30'000};  // auth.leeway: clock skew allowed for exp/nbf
    friend bool operator==(const AuthConfig&, const AuthConfig&) = default;
};

struct MetricsConfig {
    bool enabled = false;              // metrics.enabled (restart needed)
    std::string listen = "127.0.0.1";  // metrics.listen: address of the /metrics listener (restart needed)
    std::uint16_t port = 9464;         // metrics.port: 0 = any free port (restart needed)
    friend bool operator==(const MetricsConfig&, const MetricsConfig&) = default;
};

struct ThreadsConfig {
    unsigned io = 0;   // threads.io: epoll loops; 0 = one per core (restart needed)
    unsigned hub = 1;  // threads.hub: room shards;        (restart needed)
    friend bool operator==(const ThreadsConfig&, const ThreadsConfig&) = default;
};

struct LogConfig {
    std::string level = "info";  // log.level: trace|debug|info|warn|error|critical|off
    friend bool operator==(const LogConfig&, const LogConfig&) = default;
};

struct ChatConfig {
    std::string default_room = "lobby";  // chat.default_room
    std::size_t history_size = 100;      // chat.history_size: messages kept per room
    // chat.history_bytes / chat.history_total_bytes: the memory the history may
    // hold per room and in all rooms together (frames plus bookkeeping).
    std::size_t history_bytes = 512 * 1024;
    std::size_t history_total_bytes = 256 * 1024 * 1024;
    std::size_t max_text_bytes = 4'096;  // chat.max_text_bytes: longer text -> error too_large
    // chat.join_nick_per_second / chat.join_nick_burst: a token bucket per
    // session for `join` and `nick` requests (over it: error rate_limited);
    // join_nick_per_second 0 = unlimited.
    std::size_t join_nick_per_second = 5;
    std::size_t join_nick_burst = 10;
    // chat.presence_max_members: rooms with more members get their joins,
    // leaves and renames as one `presence` `batch` per chat.presence_interval.
    std::size_t presence_max_members = 500;
    std::chrono::milliseconds presence_interval{1'000};
    // chat.welcome_users: the most nicks a welcome lists (the `users` request pages the rest).
    std::size_t welcome_users = 200;
    friend bool operator==(const ChatConfig&, const ChatConfig&) = default;
};

enum class BusType { Memory, Redis };

// bus.redis: where the shared rooms live (docs/scaling.md). Every key needs a restart.
struct RedisBusConfig {
    std::string host = "127.0.0.1";                     // bus.redis.host
    std::uint16_t port = 6379;                          // bus.redis.port
    std::string unix_socket;                            // bus.redis.unix_socket: used instead of host and port when set
    std::string password;                               // bus.redis.password: empty = no AUTH
    unsigned database = 0;                              // bus.redis.database
    std::string key_prefix = "chatd:";                  // bus.redis.key_prefix: keys and channels of this deployment
    std::size_t history_length = 100;                   // bus.redis.history_length: messages kept per room
    std::chrono::milliseconds history_age{86'400'000};  // bus.redis.history_age: 0s = no age limit
    std::chrono::milliseconds timeout{5'000};           // bus.redis.timeout: Redis silent this long = unreachable
    std::chrono::milliseconds instance_ttl{30'000};     // bus.redis.instance_ttl: a dead instance's users go after this
    // bus.redis.max_outbound_bytes: commands sent to Redis and not answered
    // yet; a chat message over it is refused (error unavailable).
    std::size_t max_outbound_bytes = 16 * 1024 * 1024;
    friend bool operator==(const RedisBusConfig&, const RedisBusConfig&) = default;
};

struct BusConfig {
    BusType type = BusType::Memory;  // bus.type: memory|redis (restart needed)
    RedisBusConfig redis;
    friend bool operator==(const BusConfig&, const BusConfig&) = default;
};

// control: the operator's control socket (docs/operations.md). Restart needed.
struct ControlConfig {
    bool enabled = true;         // control.enabled
    std::string socket;          // control.socket: empty = the default (control/socket_path.h)
    std::string group = "chatd";  // control.group: its members may use the socket
    friend bool operator==(const ControlConfig&, const ControlConfig&) = default;
};

enum class HistoryStoreType { Sqlite, Memory };
enum class HistorySync { Normal, Full };

// history: the durable history store (docs/operations.md).
struct HistoryConfig {
    HistoryStoreType store = HistoryStoreType::Sqlite;  // history.store: sqlite|memory (restart needed)
    // history.path: the database file; relative to state_dir; default
    // <state_dir>/history.db (the loader fills it in) (restart needed).
    std::string path;
    std::chrono::milliseconds max_age{720LL * 3'600'000};  // history.max_age: 0s = no age limit
    std::size_t max_messages = 10'000;                     // history.max_messages: per room; 0 = no limit
    HistorySync sync = HistorySync::Normal;                // history.sync: normal|full (restart needed)
    friend bool operator==(const HistoryConfig&, const HistoryConfig&) = default;
};

enum class OnError { Continue, Drop };

// One entry of the `plugins:` list.
struct PluginEntry {
    std::string name;                      // plugins[].name
    std::string path;                      // plugins[].path; empty = <plugin_dir>/<name>.so
    OnError on_error = OnError::Continue;  // plugins[].on_error: continue|drop
    YAML::Node config;                     // plugins[].config: the plugin's own subtree (may be null)
    // plugins[].rooms: room names and `*` globs the room hooks (on_message,
    // on_verdict, on_join, on_leave, on_join_request) run for; empty = every room.
    std::vector<std::string> rooms;
    // plugins[].tick: how often on_tick runs (>= 100ms); 0 = never.
    std::chrono::milliseconds tick{0};
};

struct Config {
    ListenConfig listen;
    std::string public_dir;  // public_dir; default: the built-in CHATD_PUBLIC_DIR
    HttpConfig http;
    WebSocketConfig websocket;
    LimitsConfig limits;
    AuthConfig auth;
    MetricsConfig metrics;
    ThreadsConfig threads;
    LogConfig log;
    ChatConfig chat;
    BusConfig bus;
    // state_dir: where chatd keeps its files (history.db); default
    // $STATE_DIRECTORY (systemd's StateDirectory=), else the working directory
    // (the loader fills it in) (restart needed).
    std::string state_dir;
    HistoryConfig history;
    ControlConfig control;
    std::string plugin_dir;  // plugin_dir; default: the built-in CHATD_PLUGIN_DIR
    std::vector<PluginEntry> plugins;

    std::string source;  // where it was loaded from ("/etc/chatd.yaml", "<built-in>")
};

}  // namespace chatd::config
