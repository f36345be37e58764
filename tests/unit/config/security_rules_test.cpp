// The limits, auth and metrics sections: boundaries accepted, every bad value
// reported at its line and column with the allowed range, the JWT secret
// loaded (inline or from a file) and checked at load time.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::allErrors;
using test::loadValid;
using test::onlyError;
using test::expectError;
using test::where;

const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes

TEST(SecurityRules, ConnectionLimits) {
    const Config config = loadValid(
        "limits: {max_connections_per_address: 0, new_connections_per_second: 0, new_connections_burst: 1}");
    EXPECT_EQ(config.limits.max_connections_per_address, 0u);
    EXPECT_EQ(config.limits.new_connections_per_second, 0u);
    EXPECT_EQ(config.limits.new_connections_burst, 1u);
    expectError("limits:\n  max_connections_per_address: -1\n", "test.yaml:2:32: limits.max_connections_per_address",
                "must be at least 0, got -1");
    expectError("limits:\n  new_connections_per_second: 1000001\n",
                "test.yaml:2:31: limits.new_connections_per_second", "must be between 0 and 1000000, got 1000001");
    expectError("limits:\n  new_connections_burst: 0\n", "test.yaml:2:26: limits.new_connections_burst",
                "must be between 1 and 1000000, got 0");
}

TEST(SecurityRules, PendingHeadsPerAddress) {
    EXPECT_EQ(loadValid("limits: {max_pending_per_address: 0}").limits.max_pending_per_address, 0u);
    EXPECT_EQ(loadValid("limits: {max_pending_per_address: 100000}").limits.max_pending_per_address, 100000u);
    expectError("limits:\n  max_pending_per_address: 100001\n", "test.yaml:2:28: limits.max_pending_per_address",
                "must be between 0 and 100000, got 100001");
}

TEST(SecurityRules, Backpressure) {
    EXPECT_EQ(loadValid("limits: {session_pending_commands: 1}").limits.session_pending_commands, 1u);
    EXPECT_EQ(loadValid("limits: {session_pending_commands: 100000}").limits.session_pending_commands, 100000u);
    expectError("limits:\n  session_pending_commands: 0\n", "test.yaml:2:29: limits.session_pending_commands",
                "must be between 1 and 100000, got 0");
    EXPECT_EQ(loadValid("limits: {shard_queue_bytes: 64KiB}").limits.shard_queue_bytes, 65536u);
    EXPECT_EQ(loadValid("limits: {shard_queue_bytes: 1GiB}").limits.shard_queue_bytes, 1024u * 1024 * 1024);
    EXPECT_FALSE(loadFromString("limits: {shard_queue_bytes: 65535}", "test.yaml").ok());
}

TEST(SecurityRules, FloodControl) {
    EXPECT_EQ(loadValid("limits: {session_messages_per_second: 0}").limits.session_messages_per_second, 0u);
    EXPECT_EQ(loadValid("limits: {session_messages_per_second: 1000000}").limits.session_messages_per_second, 1000000u);
    expectError("limits:\n  session_messages_per_second: 1000001\n",
                "test.yaml:2:32: limits.session_messages_per_second", "must be between 0 and 1000000, got 1000001");
    EXPECT_EQ(loadValid("limits: {session_message_burst: 1}").limits.session_message_burst, 1u);
    expectError("limits:\n  session_message_burst: 0\n", "test.yaml:2:26: limits.session_message_burst",
                "must be between 1 and 1000000, got 0");
}

TEST(SecurityRules, HandshakeTimeoutAndHeaderSize) {
    EXPECT_EQ(loadValid("limits: {handshake_timeout: 100ms}").limits.handshake_timeout, 100ms);
    EXPECT_EQ(loadValid("limits: {handshake_timeout: 5m}").limits.handshake_timeout, 5min);
    EXPECT_FALSE(loadFromString("limits: {handshake_timeout: 99ms}", "test.yaml").ok());
    EXPECT_FALSE(loadFromString("limits: {handshake_timeout: 10}", "test.yaml").ok());  // no unit
    EXPECT_EQ(loadValid("limits: {max_header_bytes: 1KiB}").limits.max_header_bytes, 1024u);
    EXPECT_EQ(loadValid("limits: {max_header_bytes: 1MiB}").limits.max_header_bytes, 1048576u);
    expectError("limits:\n  max_header_bytes: 1023\n", "test.yaml:2:21: limits.max_header_bytes",
                "must be between 1024 (1KiB) and 1048576 (1MiB), got 1023");
}

TEST(SecurityRules, Rooms) {
    EXPECT_EQ(loadValid("limits: {max_rooms: 1, max_room_users: 1}").limits.max_rooms, 1u);
    expectError("limits:\n  max_rooms: 0\n", "test.yaml:2:14: limits.max_rooms", "must be at least 1, got 0");
    expectError("limits:\n  max_room_users: 0\n", "test.yaml:2:19: limits.max_room_users",
                "must be at least 1, got 0");
}

TEST(SecurityRules, AddressLists) {
    const Config config = loadValid("limits: {exempt_addresses: [], trusted_proxies: [10.0.0.0/8, '::1', 192.0.2.7]}");
    EXPECT_TRUE(config.limits.exempt_addresses.empty());
    EXPECT_EQ(config.limits.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1", "192.0.2.7"}));
    expectError("limits:\n  trusted_proxies: [10.0.0.0/33]\n", "test.yaml:2:21: limits.trusted_proxies[0]",
                "expected an IP address or network such as 10.0.0.0/8 or ::1, got '10.0.0.0/33'");
    expectError("limits:\n  exempt_addresses: [localhost]\n", "test.yaml:2:22: limits.exempt_addresses[0]",
                "expected an IP address or network such as 10.0.0.0/8 or ::1, got 'localhost'");
}

TEST(SecurityRules, AuthModeAndInlineSecret) {
    const Config config =
        loadValid("auth: {mode: jwt, secret: " + kSecret + ", issuer: me, audience: chat, nick_claim: name}");
    EXPECT_EQ(config.auth.mode, AuthMode::Jwt);
    EXPECT_EQ(config.auth.secret, kSecret);
    EXPECT_EQ(config.auth.issuer, "me");
    EXPECT_EQ(config.auth.audience, "chat");
    EXPECT_EQ(config.auth.nick_claim, "name");
    expectError("auth:\n  mode: jwts\n", "test.yaml:2:9: auth.mode",
                "expected one of none|jwt, got 'jwts'; did you mean 'jwt'?");
    expectError("auth:\n  mode: jwt\n  secret: short\n", "test.yaml:3:11: auth.secret",
                "the secret must be at least 32 bytes, got 5 (e.g. openssl rand -hex 32)");
    const ConfigError neither = onlyError("auth:\n  mode: jwt\n");
    EXPECT_EQ(where(neither), "test.yaml:2:9: auth.mode");
    EXPECT_NE(neither.message.find("exactly one of auth.secret and auth.secret_file"), std::string::npos);
    EXPECT_EQ(where(onlyError("auth:\n  mode: jwt\n  secret: " + kSecret + "\n  secret_file: /x\n")),
              "test.yaml:2:9: auth.mode");
    // With mode none a secret is not needed, and not loaded.
    EXPECT_EQ(loadValid("auth: {mode: none}").auth.mode, AuthMode::None);
    EXPECT_EQ(loadValid("auth: {leeway: 0s}").auth.leeway, 0ms);
}

TEST(SecurityRules, SecretFileIsReadRelativeToTheConfigFile) {
    const auto dir = std::filesystem::temp_directory_path() / ("chatd-secret-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "jwt.key") << kSecret << "\n";  // echo's newline is not part of it
    ::chmod((dir / "jwt.key").c_str(), 0600);
    std::ofstream(dir / "chatd.yaml") << "auth:\n  mode: jwt\n  secret_file: jwt.key\n";
    LoadResult result = loadFromFile((dir / "chatd.yaml").string());
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(result.config->auth.secret, kSecret);
    EXPECT_EQ(result.config->auth.secret_file, (dir / "jwt.key").string());

    std::ofstream(dir / "bad.yaml") << "auth:\n  mode: jwt\n  secret_file: missing.key\n";
    result = loadFromFile((dir / "bad.yaml").string());
    ASSERT_EQ(result.errors.size(), 1u) << allErrors(result);
    EXPECT_EQ(result.errors[0].line, 3);
    EXPECT_EQ(result.errors[0].key, "auth.secret_file");
    EXPECT_NE(result.errors[0].message.find("cannot read secret file"), std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST(SecurityRules, Metrics) {
    const Config config = loadValid("metrics: {enabled: true, listen: '::1', port: 0}");
    EXPECT_TRUE(config.metrics.enabled);
    EXPECT_EQ(config.metrics.listen, "::1");
    EXPECT_EQ(config.metrics.port, 0);
    expectError("metrics:\n  enabled: yes\n", "test.yaml:2:12: metrics.enabled",
                "expected one of true|false, got 'yes'");
    expectError("metrics:\n  port: 65536\n", "test.yaml:2:9: metrics.port", "must be between 0 and 65535, got 65536");
}

}  // namespace
}  // namespace chatd::config
