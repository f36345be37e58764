// Defaults: an empty mapping, the shipped etc/chatd.yaml and its embedded
// copy all give the documented defaults of config.h.
#include <fstream>
#include <sstream>

#include <filesystem>

#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::allErrors;
using test::loadValid;

const std::string kShippedYaml = std::string(CHATD_SOURCE_DIR) + "/etc/chatd.yaml";

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every default named in config.h and docs/configuration.md.
void expectDefaults(const Config& config) {
    EXPECT_EQ(config.listen.address, "0.0.0.0");
    EXPECT_EQ(config.listen.port, 8080);
    EXPECT_EQ(config.public_dir, CHATD_PUBLIC_DIR);
    EXPECT_EQ(config.http.threads, 32u);
    EXPECT_EQ(config.http.request_timeout, 10s);
    EXPECT_EQ(config.http.max_queued, 256u);
    EXPECT_EQ(config.websocket.path, "/ws");
    EXPECT_TRUE(config.websocket.allowed_origins.empty());
    EXPECT_EQ(config.websocket.max_message_bytes, 65536u);
    EXPECT_EQ(config.websocket.ping_interval, 30s);
    EXPECT_EQ(config.websocket.ping_timeout, 10s);
    EXPECT_EQ(config.limits.max_connections, 10000u);
    EXPECT_EQ(config.limits.send_queue_bytes, 1048576u);
    EXPECT_EQ(config.limits.max_connections_per_address, 256u);
    EXPECT_EQ(config.limits.new_connections_per_second, 20u);
    EXPECT_EQ(config.limits.new_connections_burst, 40u);
    EXPECT_EQ(config.limits.handshake_timeout, 10s);
    EXPECT_EQ(config.limits.max_pending_per_address, 8u);
    EXPECT_EQ(config.limits.max_header_bytes, 16384u);
    EXPECT_EQ(config.limits.max_rooms, 10000u);
    EXPECT_EQ(config.limits.max_room_users, 10000u);
    EXPECT_EQ(config.limits.session_pending_commands, 64u);
    EXPECT_EQ(config.limits.shard_queue_bytes, 64u * 1024 * 1024);
    EXPECT_EQ(config.limits.session_messages_per_second, 10u);
    EXPECT_EQ(config.limits.session_message_burst, 30u);
    EXPECT_EQ(config.limits.exempt_addresses, (std::vector<std::string>{"127.0.0.0/8", "::1"}));
    EXPECT_EQ(config.limits.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
    EXPECT_EQ(config.auth.mode, AuthMode::None);
    EXPECT_TRUE(config.auth.secret.empty());
    EXPECT_TRUE(config.auth.secret_file.empty());
    EXPECT_TRUE(config.auth.issuer.empty());
    EXPECT_TRUE(config.auth.audience.empty());
    EXPECT_EQ(config.auth.nick_claim, "nick");
    EXPECT_EQ(config.auth.leeway, 30s);
    EXPECT_FALSE(config.metrics.enabled);
    EXPECT_EQ(config.metrics.listen, "127.0.0.1");
    EXPECT_EQ(config.metrics.port, 9464);
    EXPECT_EQ(config.threads.io, 0u);
    EXPECT_EQ(config.threads.hub, 1u);
    EXPECT_EQ(config.log.level, "info");
    EXPECT_EQ(config.chat.default_room, "lobby");
    EXPECT_EQ(config.chat.history_size, 100u);
    EXPECT_EQ(config.chat.history_bytes, 512u * 1024);
    EXPECT_EQ(config.chat.history_total_bytes, 256u * 1024 * 1024);
    EXPECT_EQ(config.chat.max_text_bytes, 4096u);
    EXPECT_EQ(config.chat.join_nick_per_second, 5u);
    EXPECT_EQ(config.chat.join_nick_burst, 10u);
    EXPECT_EQ(config.chat.presence_max_members, 500u);
    EXPECT_EQ(config.chat.presence_interval, std::chrono::milliseconds(1000));
    EXPECT_EQ(config.chat.welcome_users, 200u);
    EXPECT_EQ(config.bus.type, BusType::Memory);
    EXPECT_EQ(config.bus.redis.host, "127.0.0.1");
    EXPECT_EQ(config.bus.redis.port, 6379);
    EXPECT_EQ(config.bus.redis.unix_socket, "");
    EXPECT_EQ(config.bus.redis.password, "");
    EXPECT_EQ(config.bus.redis.database, 0u);
    EXPECT_EQ(config.bus.redis.key_prefix, "chatd:");
    EXPECT_EQ(config.bus.redis.history_length, 100u);
    EXPECT_EQ(config.bus.redis.history_age, 24h);
    EXPECT_EQ(config.bus.redis.timeout, 5s);
    EXPECT_EQ(config.bus.redis.instance_ttl, 30s);
    EXPECT_EQ(config.bus.redis.max_outbound_bytes, 16u * 1024 * 1024);
    EXPECT_EQ(config.history.store, HistoryStoreType::Sqlite);
    EXPECT_EQ(config.history.path, (std::filesystem::path(config.state_dir) / "history.db").string());
    EXPECT_EQ(config.history.max_age, 720h);
    EXPECT_EQ(config.history.max_messages, 10'000u);
    EXPECT_EQ(config.history.sync, HistorySync::Normal);
    EXPECT_TRUE(config.control.enabled);
    EXPECT_EQ(config.control.socket, "");
    EXPECT_EQ(config.control.group, "chatd");
    EXPECT_EQ(config.plugin_dir, CHATD_PLUGIN_DIR);
    EXPECT_TRUE(config.plugins.empty());
}

TEST(Defaults, EmptyMappingGivesEveryDefault) {
    Config config = loadValid("{}");
    expectDefaults(config);
    EXPECT_EQ(config.source, "test.yaml");
}

TEST(Defaults, EmptySectionsGiveDefaults) {
    expectDefaults(loadValid("listen:\nhttp:\nwebsocket: {}\nlimits:\nauth:\nmetrics:\nthreads:\nlog:\nchat:\nbus:\nhistory:\nplugins:\n"));
    expectDefaults(loadValid("bus: {redis: }"));
}

TEST(Defaults, BuiltInPublicAndPluginDirsAreAbsolute) {
    EXPECT_EQ(std::string(CHATD_PUBLIC_DIR).front(), '/');
    EXPECT_EQ(std::string(CHATD_PLUGIN_DIR).front(), '/');
}

TEST(Defaults, ShippedFileLoadsWithoutErrorsAndHoldsTheDefaults) {
    LoadResult result = loadFromFile(kShippedYaml);
    ASSERT_TRUE(result.ok()) << allErrors(result);
    // The shipped file enables the three standard plugins, in this order.
    std::vector<std::string> names;
    for (const auto& entry : result.config->plugins) names.push_back(entry.name);
    EXPECT_EQ(names, (std::vector<std::string>{"logging", "filter", "ratelimit"}));
    result.config->plugins.clear();
    expectDefaults(*result.config);
    EXPECT_EQ(result.config->source, kShippedYaml);
}

TEST(Defaults, ShippedFileNamesEveryKey) {
    // The file is the operator's reference: every key appears, the two
    // directories as commented-out lines.
    const std::string text = readFile(kShippedYaml);
    for (const char* key : {"\nlisten:",
                            "  address:",
                            "  port:",
                            "\n# public_dir:",
                            "\nhttp:",
                            "  threads:",
                            "  request_timeout:",
                            "  max_queued:",
                            "\nwebsocket:",
                            "  path:",
                            "  allowed_origins:",
                            "  max_message_bytes:",
                            "  ping_interval:",
                            "  ping_timeout:",
                            "\nlimits:",
                            "  max_connections:",
                            "  send_queue_bytes:",
                            "  max_connections_per_address:",
                            "  new_connections_per_second:",
                            "  new_connections_burst:",
                            "  handshake_timeout:",
                            "  max_pending_per_address:",
                            "  max_header_bytes:",
                            "  max_rooms:",
                            "  max_room_users:",
                            "  session_pending_commands:",
                            "  shard_queue_bytes:",
                            "  session_messages_per_second:",
                            "  session_message_burst:",
                            "  exempt_addresses:",
                            "  trusted_proxies:",
                            "\nauth:",
                            "  mode:",
                            "  # secret:",
                            "  # secret_file:",
                            "  # issuer:",
                            "  # audience:",
                            "  nick_claim:",
                            "  leeway:",
                            "\nmetrics:",
                            "  enabled:",
                            "  listen:",
                            "\nthreads:",
                            "  io:",
                            "  hub:",
                            "\nlog:",
                            "  level:",
                            "\nchat:",
                            "  default_room:",
                            "  history_size:",
                            "  history_bytes:",
                            "  history_total_bytes:",
                            "  max_text_bytes:",
                            "  join_nick_per_second:",
                            "  join_nick_burst:",
                            "  presence_max_members:",
                            "  presence_interval:",
                            "  welcome_users:",
                            "\nbus:",
                            "  type:",
                            "  redis:",
                            "    host:",
                            "    port:",
                            "    # unix_socket:",
                            "    # password:",
                            "    database:",
                            "    key_prefix:",
                            "    history_length:",
                            "    history_age:",
                            "    timeout:",
                            "    instance_ttl:",
                            "    max_outbound_bytes:",
                            "\n# plugin_dir:",
                            "\nplugins:\n"})
        EXPECT_NE(text.find(key), std::string::npos) << key;
}

TEST(Defaults, BuiltInYamlIsTheShippedFile) {
    const std::string text = readFile(kShippedYaml);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(builtinDefaultYaml(), text);
}

TEST(Defaults, BuiltInYamlLoads) {
    LoadResult result = loadFromString(builtinDefaultYaml(), "<built-in>");
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(result.config->plugins.size(), 3u);
    result.config->plugins.clear();
    expectDefaults(*result.config);
    EXPECT_EQ(result.config->source, "<built-in>");
}

}  // namespace
}  // namespace chatd::config
