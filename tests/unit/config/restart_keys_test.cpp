// keysNeedingRestart() and keepRestartKeys(): exactly the keys that cannot change on reload.
#include <functional>

#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

TEST(RestartKeys, NoneForEqualConfigs) { EXPECT_TRUE(keysNeedingRestart(Config{}, Config{}).empty()); }

TEST(RestartKeys, EachRestartKeyAlone) {
    const std::vector<std::pair<std::string, std::function<void(Config&)>>> changes = {
        {"listen.address", [](Config& c) { c.listen.address = "::"; }},
        {"listen.port", [](Config& c) { c.listen.port = 9090; }},
        {"http.threads", [](Config& c) { c.http.threads = 2; }},
        {"http.request_timeout", [](Config& c) { c.http.request_timeout = 5s; }},
        {"http.max_queued", [](Config& c) { c.http.max_queued = 1; }},
        {"threads.io", [](Config& c) { c.threads.io = 3; }},
        {"threads.hub", [](Config& c) { c.threads.hub = 4; }},
        {"websocket.path", [](Config& c) { c.websocket.path = "/chat"; }},
        {"bus.type", [](Config& c) { c.bus.type = BusType::Redis; }},
        {"bus.redis", [](Config& c) { c.bus.redis.port = 6380; }},
        {"metrics.enabled", [](Config& c) { c.metrics.enabled = true; }},
        {"metrics.listen", [](Config& c) { c.metrics.listen = "::1"; }},
        {"metrics.port", [](Config& c) { c.metrics.port = 9100; }},
        {"state_dir", [](Config& c) { c.state_dir = "/srv/chatd"; }},
        {"history.store", [](Config& c) { c.history.store = HistoryStoreType::Memory; }},
        {"history.path", [](Config& c) { c.history.path = "/srv/h.db"; }},
        {"history.sync", [](Config& c) { c.history.sync = HistorySync::Full; }},
        {"control.enabled", [](Config& c) { c.control.enabled = false; }},
        {"control.socket", [](Config& c) { c.control.socket = "/run/x.sock"; }},
        {"control.group", [](Config& c) { c.control.group = "adm"; }},
    };
    for (const auto& [key, change] : changes) {
        Config next;
        change(next);
        EXPECT_EQ(keysNeedingRestart(Config{}, next), std::vector<std::string>{key}) << key;
    }
}

TEST(RestartKeys, LiveKeysAreNotReported) {
    Config next;
    next.public_dir = "/elsewhere";
    next.websocket.allowed_origins = {"*"};
    next.websocket.max_message_bytes = 1000;
    next.websocket.ping_interval = 5s;
    next.websocket.ping_timeout = 2s;
    next.limits.max_connections = 5;
    next.limits.send_queue_bytes = 5000;
    next.log.level = "debug";
    next.chat.default_room = "main";
    next.chat.history_size = 7;
    next.history.max_age = 1h;
    next.history.max_messages = 5;
    next.chat.max_text_bytes = 10;
    next.plugin_dir = "/p";
    next.plugins.push_back(PluginEntry{"a", "", OnError::Drop, YAML::Node(), {}, {}});
    next.source = "other.yaml";
    next.limits.max_connections_per_address = 1;
    next.limits.new_connections_per_second = 1;
    next.limits.handshake_timeout = 1s;
    next.limits.max_pending_per_address = 1;
    next.limits.max_header_bytes = 2048;
    next.limits.max_rooms = 1;
    next.limits.max_room_users = 1;
    next.limits.trusted_proxies.clear();
    next.auth.mode = AuthMode::Jwt;
    next.auth.secret = std::string(32, 's');
    EXPECT_TRUE(keysNeedingRestart(Config{}, next).empty());
}

TEST(RestartKeys, KeepRestartKeysUndoesExactlyTheReportedChanges) {
    Config running;
    Config next;
    next.listen = {"::", 9090};
    next.http.threads = 2;
    next.http.request_timeout = 5s;
    next.http.max_queued = 1;
    next.threads = {3, 4};
    next.websocket.path = "/chat";
    next.websocket.max_message_bytes = 1000;  // live: must survive
    next.chat.history_size = 7;               // live: must survive
    next.metrics = {true, "::1", 9100};
    next.limits.max_rooms = 3;  // live: must survive
    next.state_dir = "/srv/chatd";
    next.history = {HistoryStoreType::Memory, "/srv/h.db", 1h, 5, HistorySync::Full};  // max_age, max_messages: live
    ASSERT_EQ(keysNeedingRestart(running, next).size(), 15u);
    next.control = {false, "/run/x.sock", "adm"};
    ASSERT_EQ(keysNeedingRestart(running, next).size(), 18u);
    keepRestartKeys(running, next);
    EXPECT_TRUE(keysNeedingRestart(running, next).empty());
    EXPECT_EQ(next.history.max_age, 1h);
    EXPECT_EQ(next.history.max_messages, 5u);
    EXPECT_EQ(next.websocket.max_message_bytes, 1000u);
    EXPECT_EQ(next.chat.history_size, 7u);
    EXPECT_EQ(next.limits.max_rooms, 3u);
}

TEST(RestartKeys, AllChangedKeysInDocumentedOrder) {
    Config next;
    next.websocket.path = "/chat";
    next.threads.hub = 2;
    next.listen.port = 1;
    next.http.request_timeout = 1s;
    EXPECT_EQ(keysNeedingRestart(Config{}, next),
              (std::vector<std::string>{"listen.port", "http.request_timeout", "threads.hub", "websocket.path"}));
}

TEST(ChangedKeys, NoneForEqualConfigs) { EXPECT_TRUE(changedKeys(Config{}, Config{}).empty()); }

TEST(ChangedKeys, TheSectionsThatDifferInFileOrder) {
    Config next;
    next.plugins.push_back(PluginEntry{"a", "", OnError::Drop, YAML::Node(), {}, {}});
    next.chat.history_size = 7;
    next.limits.max_rooms = 3;
    next.source = "other.yaml";  // where it came from is not a change
    EXPECT_EQ(changedKeys(Config{}, next), (std::vector<std::string>{"limits", "chat", "plugins"}));
}

TEST(ChangedKeys, TheHistorySectionAndStateDirCount) {
    Config next;
    next.history.max_messages = 5;
    next.state_dir = "/srv/chatd";
    EXPECT_EQ(changedKeys(Config{}, next), (std::vector<std::string>{"state_dir", "history"}));
}

TEST(ChangedKeys, APluginsOwnSettingsCount) {
    Config running;
    running.plugins.push_back(PluginEntry{"filter", "", OnError::Continue, YAML::Load("words: [a]"), {}, {}});
    Config next;  // built apart: a copied YAML::Node would share the tree
    next.plugins.push_back(PluginEntry{"filter", "", OnError::Continue, YAML::Load("words: [a, b]"), {}, {}});
    EXPECT_EQ(changedKeys(running, next), std::vector<std::string>{"plugins"});
}

}  // namespace
}  // namespace chatd::config
