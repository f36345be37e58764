// Every validation rule: the value that breaks it is reported at its exact
// line and column with its dotted key; the boundary values are accepted.
#include "protocol/names.h"
#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::loadValid;
using test::onlyError;
using test::expectError;
using test::where;

TEST(Rules, Port) {
    EXPECT_EQ(loadValid("listen:\n  port: 0\n").listen.port, 0);
    EXPECT_EQ(loadValid("listen:\n  port: 65535\n").listen.port, 65535);
    expectError("listen:\n  port: 65536\n", "test.yaml:2:9: listen.port", "must be between 0 and 65535, got 65536");
    expectError("listen:\n  port: -1\n", "test.yaml:2:9: listen.port", "must be between 0 and 65535, got -1");
    expectError("listen:\n  port: abc\n", "test.yaml:2:9: listen.port", "expected an integer, got 'abc'");
    expectError("listen:\n  port: 80.5\n", "test.yaml:2:9: listen.port", "expected an integer, got '80.5'");
    expectError("listen:\n  port: [1]\n", "test.yaml:2:9: listen.port", "expected an integer, got a list");
    // An empty value points at its key, not at the next line.
    expectError("listen:\n  port:\n  address: '::'\n", "test.yaml:2:3: listen.port",
                "expected an integer, got an empty value");
}

TEST(Rules, Address) {
    EXPECT_EQ(loadValid("listen: {address: '::'}").listen.address, "::");
    EXPECT_EQ(loadValid("listen:\n  address: 127.0.0.1\n").listen.address, "127.0.0.1");
    expectError("listen:\n  address: ''\n", "test.yaml:2:12: listen.address", "must not be empty");
    expectError("listen:\n  address: {a: b}\n", "test.yaml:2:12: listen.address", "expected a string, got a mapping");
}

TEST(Rules, ThreadCounts) {
    EXPECT_EQ(loadValid("threads: {io: 0, hub: 1}").threads.io, 0u);
    EXPECT_EQ(loadValid("threads: {io: 256, hub: 64}").threads.hub, 64u);
    expectError("threads:\n  io: 257\n", "test.yaml:2:7: threads.io", "must be between 0 and 256, got 257");
    expectError("threads:\n  hub: 0\n", "test.yaml:2:8: threads.hub", "must be between 1 and 64, got 0");
    expectError("threads:\n  hub: 65\n", "test.yaml:2:8: threads.hub", "must be between 1 and 64, got 65");
    EXPECT_EQ(loadValid("http: {threads: 1}").http.threads, 1u);
    EXPECT_EQ(loadValid("http: {threads: 1024}").http.threads, 1024u);
    expectError("http:\n  threads: 0\n", "test.yaml:2:12: http.threads", "must be between 1 and 1024, got 0");
    expectError("http:\n  threads: 1025\n", "test.yaml:2:12: http.threads", "must be between 1 and 1024, got 1025");
    EXPECT_EQ(loadValid("http: {max_queued: 1}").http.max_queued, 1u);
    expectError("http:\n  max_queued: 0\n", "test.yaml:2:15: http.max_queued", "must be between 1 and 100000, got 0");
}

TEST(Rules, MaxMessageBytes) {
    EXPECT_EQ(loadValid("websocket: {max_message_bytes: 125}\nchat: {max_text_bytes: 100}").websocket.max_message_bytes,
              125u);
    EXPECT_EQ(loadValid("websocket: {max_message_bytes: 64MiB}").websocket.max_message_bytes, 67108864u);
    EXPECT_EQ(loadValid("websocket: {max_message_bytes: 1MB}").websocket.max_message_bytes, 1000000u);
    expectError("websocket:\n  max_message_bytes: 124\n", "test.yaml:2:22: websocket.max_message_bytes",
                "must be between 125 and 67108864 (64MiB), got 124");
    expectError("websocket:\n  max_message_bytes: 65MiB\n", "test.yaml:2:22: websocket.max_message_bytes",
                "must be between 125 and 67108864 (64MiB), got 65MiB = 68157440");
    expectError("websocket:\n  max_message_bytes: 64kb\n", "test.yaml:2:22: websocket.max_message_bytes",
                "expected a size (bytes, or a number with KiB, MiB, GiB, KB, MB or GB), got '64kb'");
}

TEST(Rules, SendQueueAndConnections) {
    EXPECT_EQ(loadValid("limits: {send_queue_bytes: 4096}").limits.send_queue_bytes, 4096u);
    EXPECT_EQ(loadValid("limits: {send_queue_bytes: 4KiB}").limits.send_queue_bytes, 4096u);
    EXPECT_EQ(loadValid("limits: {send_queue_bytes: 1GiB}").limits.send_queue_bytes, 1073741824u);
    expectError("limits:\n  send_queue_bytes: 4095\n", "test.yaml:2:21: limits.send_queue_bytes",
                "must be at least 4096 (4KiB), got 4095");
    EXPECT_EQ(loadValid("limits: {max_connections: 1}").limits.max_connections, 1u);
    expectError("limits:\n  max_connections: 0\n", "test.yaml:2:20: limits.max_connections",
                "must be at least 1, got 0");
    expectError("limits:\n  max_connections: 10KiB\n", "test.yaml:2:20: limits.max_connections",
                "expected an integer, got '10KiB'");
}

TEST(Rules, HistorySize) {
    EXPECT_EQ(loadValid("chat: {history_size: 0}").chat.history_size, 0u);
    EXPECT_EQ(loadValid("chat: {history_size: 100000}").chat.history_size, 100000u);
    expectError("chat:\n  history_size: 100001\n", "test.yaml:2:17: chat.history_size",
                "must be between 0 and 100000, got 100001");
    expectError("chat:\n  history_size: -1\n", "test.yaml:2:17: chat.history_size",
                "must be between 0 and 100000, got -1");
}

TEST(Rules, HistoryBytes) {
    const Config config = loadValid("chat: {history_bytes: 0, history_total_bytes: 0}");
    EXPECT_EQ(config.chat.history_bytes, 0u);
    EXPECT_EQ(config.chat.history_total_bytes, 0u);
    EXPECT_EQ(loadValid("chat: {history_bytes: 1GiB}").chat.history_bytes, 1u << 30);
    EXPECT_EQ(loadValid("chat: {history_total_bytes: 1024GiB}").chat.history_total_bytes, std::size_t{1} << 40);
    expectError("chat:\n  history_bytes: 2GiB\n", "test.yaml:2:18: chat.history_bytes",
                "must be between 0 and 1073741824 (1GiB), got 2GiB = 2147483648");
    expectError("chat:\n  history_total_bytes: -1\n", "test.yaml:2:24: chat.history_total_bytes",
                "must be between 0 and 1099511627776 (1024GiB), got -1");
}

TEST(Rules, JoinNickRate) {
    const Config config = loadValid("chat: {join_nick_per_second: 0, join_nick_burst: 1}");
    EXPECT_EQ(config.chat.join_nick_per_second, 0u);
    EXPECT_EQ(config.chat.join_nick_burst, 1u);
    EXPECT_EQ(loadValid("chat: {join_nick_per_second: 1000000}").chat.join_nick_per_second, 1000000u);
    expectError("chat:\n  join_nick_per_second: -1\n", "test.yaml:2:25: chat.join_nick_per_second",
                "must be between 0 and 1000000, got -1");
    expectError("chat:\n  join_nick_burst: 0\n", "test.yaml:2:20: chat.join_nick_burst",
                "must be between 1 and 1000000, got 0");
    expectError("chat:\n  join_nick_burst: 2.5\n", "test.yaml:2:20: chat.join_nick_burst",
                "expected an integer, got '2.5'");
}

TEST(Rules, PresenceAndWelcomeUsers) {
    const Config config =
        loadValid("chat: {presence_max_members: 1, presence_interval: 100ms, welcome_users: 1}");
    EXPECT_EQ(config.chat.presence_max_members, 1u);
    EXPECT_EQ(config.chat.presence_interval, std::chrono::milliseconds(100));
    EXPECT_EQ(config.chat.welcome_users, 1u);
    EXPECT_EQ(loadValid("chat: {presence_interval: 1m}").chat.presence_interval, std::chrono::minutes(1));
    expectError("chat:\n  presence_max_members: 0\n", "test.yaml:2:25: chat.presence_max_members",
                "must be between 1 and 1000000000, got 0");
    expectError("chat:\n  welcome_users: 0\n", "test.yaml:2:18: chat.welcome_users",
                "must be between 1 and 1000000000, got 0");
    expectError("chat:\n  presence_interval: 99ms\n", "test.yaml:2:22: chat.presence_interval",
                "must be between 100ms and 1m, got 99ms");
    expectError("chat:\n  presence_interval: 61s\n", "test.yaml:2:22: chat.presence_interval",
                "must be between 100ms and 1m, got 61s");
}

TEST(Rules, MaxTextBytesFitsInAMessage) {
    EXPECT_EQ(loadValid("chat: {max_text_bytes: 1}").chat.max_text_bytes, 1u);
    EXPECT_EQ(loadValid("websocket: {max_message_bytes: 1000}\nchat: {max_text_bytes: 1000}").chat.max_text_bytes,
              1000u);
    expectError("chat:\n  max_text_bytes: 0\n", "test.yaml:2:19: chat.max_text_bytes",
                "must be between 1 and 67108864 (64MiB), got 0");
    expectError("websocket:\n  max_message_bytes: 1000\nchat:\n  max_text_bytes: 1001\n",
                "test.yaml:4:19: chat.max_text_bytes", "must not exceed websocket.max_message_bytes = 1000, got 1001");
    // The order of the sections does not matter.
    expectError("chat:\n  max_text_bytes: 2KiB\nwebsocket:\n  max_message_bytes: 1KiB\n",
                "test.yaml:2:19: chat.max_text_bytes",
                "must not exceed websocket.max_message_bytes = 1024 (1KiB), got 2KiB");
    // Left out, it shrinks to a smaller max_message_bytes instead of failing.
    EXPECT_EQ(loadValid("websocket: {max_message_bytes: 1000}").chat.max_text_bytes, 1000u);
    // A refused max_message_bytes gives one error, not a second one here.
    expectError("websocket:\n  max_message_bytes: 1\nchat:\n  max_text_bytes: 100000\n",
                "test.yaml:2:22: websocket.max_message_bytes", "must be between 125 and 67108864 (64MiB), got 1");
}

TEST(Rules, LogLevel) {
    for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"})
        EXPECT_EQ(loadValid(std::string("log: {level: ") + level + "}").log.level, level);
    expectError("log:\n  level: verbose\n", "test.yaml:2:10: log.level",
                "expected one of trace|debug|info|warn|error|critical|off, got 'verbose'");
    expectError("log:\n  level: Info\n", "test.yaml:2:10: log.level",
                "expected one of trace|debug|info|warn|error|critical|off, got 'Info'; did you mean 'info'?");
    expectError("log:\n  level: 3\n", "test.yaml:2:10: log.level",
                "expected one of trace|debug|info|warn|error|critical|off, got '3'");
}

TEST(Rules, DefaultRoom) {
    EXPECT_EQ(loadValid("chat: {default_room: '#general'}").chat.default_room, "#general");
    EXPECT_EQ(loadValid("chat: {default_room: " + std::string(64, 'r') + "}").chat.default_room.size(), 64u);
    const std::string message = "a room name is 1-64 characters of ASCII letters, digits and _ - . #, got ";
    expectError("chat:\n  default_room: two words\n", "test.yaml:2:17: chat.default_room", message + "'two words'");
    expectError("chat:\n  default_room: " + std::string(65, 'r') + "\n", "test.yaml:2:17: chat.default_room",
                message + "'" + std::string(40, 'r') + "...'");
    expectError("chat:\n  default_room: ''\n", "test.yaml:2:17: chat.default_room", "must not be empty");
    // Unquoted, a leading '#' starts a YAML comment: the value is empty.
    expectError("chat:\n  default_room: #general\n", "test.yaml:2:3: chat.default_room",
                "expected a string, got an empty value");
}

// The default room is a room a client could join: the config applies the
// protocol's rule, byte for byte.
TEST(Rules, DefaultRoomFollowsTheProtocolRule) {
    for (int byte = 1; byte < 256; ++byte) {
        const char c = static_cast<char>(byte);
        if (c == '\'' || c == '\n' || c == '\r') continue;  // not expressible in the quoted scalar below
        const std::string room = std::string("r") + c;
        const auto result = config::loadFromString("chat: {default_room: '" + room + "'}", "test.yaml");
        EXPECT_EQ(result.ok(), protocol::isValidRoom(room)) << "byte " << byte;
    }
}

TEST(Rules, WebSocketPath) {
    EXPECT_EQ(loadValid("websocket: {path: /}").websocket.path, "/");
    EXPECT_EQ(loadValid("websocket: {path: /chat/ws}").websocket.path, "/chat/ws");
    expectError("websocket:\n  path: ws\n", "test.yaml:2:9: websocket.path", "must start with '/'");
    expectError("websocket:\n  path: /ws?x\n", "test.yaml:2:9: websocket.path", "must not contain '?' or '#'");
}

TEST(Rules, AllowedOrigins) {
    Config config = loadValid(
        "websocket:\n  allowed_origins:\n    - '*'\n    - https://Chat.Example.org\n"
        "    - http://localhost:8080\n");
    EXPECT_EQ(config.websocket.allowed_origins,
              (std::vector<std::string>{"*", "https://chat.example.org", "http://localhost:8080"}));
    EXPECT_TRUE(loadValid("websocket: {allowed_origins: []}").websocket.allowed_origins.empty());
    expectError("websocket:\n  allowed_origins: '*'\n", "test.yaml:2:20: websocket.allowed_origins",
                "expected a list, got '*'");
    expectError("websocket:\n  allowed_origins:\n    - https://ok.example\n    - ftp://x.example\n",
                "test.yaml:4:7: websocket.allowed_origins[1]", "the scheme must be http or https, got 'ftp'");
    expectError("websocket:\n  allowed_origins: [https://a.example, [x]]\n",
                "test.yaml:2:40: websocket.allowed_origins[1]", "expected a string, got a list");
    expectError("websocket:\n  allowed_origins: [https://a.example/]\n", "test.yaml:2:21: websocket.allowed_origins[0]",
                "an origin has no path (not even a trailing '/'): use scheme://host[:port]");
}

TEST(Rules, Durations) {
    Config config = loadValid("http: {request_timeout: 100ms}\nwebsocket: {ping_interval: 1h, ping_timeout: 10m}");
    EXPECT_EQ(config.http.request_timeout, 100ms);
    EXPECT_EQ(config.websocket.ping_interval, 1h);
    EXPECT_EQ(config.websocket.ping_timeout, 10min);
    config = loadValid("http: {request_timeout: 5m}\nwebsocket: {ping_interval: 1s, ping_timeout: 1s}");
    EXPECT_EQ(config.http.request_timeout, 5min);
    EXPECT_EQ(config.websocket.ping_interval, 1s);
    EXPECT_EQ(config.websocket.ping_timeout, 1s);
    expectError("websocket:\n  ping_interval: 30\n", "test.yaml:2:18: websocket.ping_interval",
                "a duration needs a unit (ms, s, m or h), e.g. '30s'; got '30'");
    expectError("websocket:\n  ping_interval: 999ms\n", "test.yaml:2:18: websocket.ping_interval",
                "must be between 1s and 1h, got 999ms");
    expectError("websocket:\n  ping_interval: 61m\n", "test.yaml:2:18: websocket.ping_interval",
                "must be between 1s and 1h, got 61m");
    expectError("websocket:\n  ping_timeout: 11m\n", "test.yaml:2:17: websocket.ping_timeout",
                "must be between 1s and 10m, got 11m");
    expectError("http:\n  request_timeout: 99ms\n", "test.yaml:2:20: http.request_timeout",
                "must be between 100ms and 5m, got 99ms");
    expectError("http:\n  request_timeout: 301s\n", "test.yaml:2:20: http.request_timeout",
                "must be between 100ms and 5m, got 301s");
    expectError("http:\n  request_timeout: soon\n", "test.yaml:2:20: http.request_timeout",
                "expected a duration such as \"500ms\", \"10s\", \"2m\" or \"1h\", got 'soon'");
}

TEST(Rules, Directories) {
    EXPECT_EQ(loadValid("public_dir: /srv/chat\nplugin_dir: /opt/chatd/plugins").public_dir, "/srv/chat");
    EXPECT_EQ(loadValid("plugin_dir: /opt/chatd/plugins").plugin_dir, "/opt/chatd/plugins");
    expectError("public_dir: ''\n", "test.yaml:1:13: public_dir", "must not be empty");
    expectError("plugin_dir: [a]\n", "test.yaml:1:13: plugin_dir", "expected a string, got a list");
}

TEST(Rules, SectionsAreMappings) {
    expectError("listen: 8080\n", "test.yaml:1:9: listen", "expected a mapping (key: value lines), got '8080'");
    expectError("chat:\n  - lobby\n", "test.yaml:2:3: chat", "expected a mapping (key: value lines), got a list");
}

}  // namespace
}  // namespace chatd::config
