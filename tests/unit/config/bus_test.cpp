// The bus section: every key, its type and range, the unix_socket/host
// exclusion, the key prefix rule, did-you-mean for a mistyped key or type,
// exact positions; and that every bus key needs a restart.
#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::allErrors;
using test::loadValid;
using test::onlyError;
using test::expectError;
using test::where;

TEST(Bus, EveryKeyIsRead) {
    const Config config = loadValid(
        "bus:\n"
        "  type: redis\n"
        "  redis:\n"
        "    host: redis.internal\n"
        "    port: 6380\n"
        "    password: s3cret\n"
        "    database: 2\n"
        "    key_prefix: 'chat-prod:'\n"
        "    history_length: 0\n"
        "    history_age: 0s\n"
        "    timeout: 100ms\n"
        "    instance_ttl: 3s\n");
    EXPECT_EQ(config.bus.type, BusType::Redis);
    const RedisBusConfig& redis = config.bus.redis;
    EXPECT_EQ(redis.host, "redis.internal");
    EXPECT_EQ(redis.port, 6380);
    EXPECT_EQ(redis.password, "s3cret");
    EXPECT_EQ(redis.database, 2u);
    EXPECT_EQ(redis.key_prefix, "chat-prod:");
    EXPECT_EQ(redis.history_length, 0u);
    EXPECT_EQ(redis.history_age, 0ms);
    EXPECT_EQ(redis.timeout, 100ms);
    EXPECT_EQ(redis.instance_ttl, 3s);
}

TEST(Bus, UnixSocket) {
    EXPECT_EQ(loadValid("bus: {type: redis, redis: {unix_socket: /run/redis.sock}}").bus.redis.unix_socket,
              "/run/redis.sock");
    expectError("bus:\n  redis:\n    unix_socket: redis.sock\n", "test.yaml:3:18: bus.redis.unix_socket",
                "must be an absolute path, got 'redis.sock'");
    expectError("bus:\n  redis:\n    port: 6379\n    unix_socket: /run/redis.sock\n",
                "test.yaml:4:18: bus.redis.unix_socket",
                "give either unix_socket or host and port, not both (bus.redis.port is set)");
    expectError("bus:\n  redis:\n    unix_socket: /run/redis.sock\n    host: localhost\n",
                "test.yaml:3:18: bus.redis.unix_socket",
                "give either unix_socket or host and port, not both (bus.redis.host is set)");
}

TEST(Bus, TypeIsMemoryOrRedisWithASuggestion) {
    EXPECT_EQ(loadValid("bus: {type: memory}").bus.type, BusType::Memory);
    expectError("bus:\n  type: rdis\n", "test.yaml:2:9: bus.type",
                "expected one of memory|redis, got 'rdis'; did you mean 'redis'?");
    expectError("bus:\n  type: kafka\n", "test.yaml:2:9: bus.type", "expected one of memory|redis, got 'kafka'");
}

TEST(Bus, UnknownKeysGetASuggestion) {
    expectError("bus:\n  redis:\n    prot: 1\n", "test.yaml:3:5: bus.redis.prot",
                "unknown key 'prot'; did you mean 'port'?");
    expectError("bus:\n  tpye: redis\n", "test.yaml:2:3: bus.tpye", "unknown key 'tpye'; did you mean 'type'?");
    expectError("bus:\n  redis:\n    history_len: 5\n", "test.yaml:3:5: bus.redis.history_len",
                "unknown key 'history_len'");
}

TEST(Bus, Ranges) {
    EXPECT_EQ(loadValid("bus: {redis: {port: 1}}").bus.redis.port, 1);
    expectError("bus:\n  redis:\n    port: 0\n", "test.yaml:3:11: bus.redis.port",
                "must be between 1 and 65535, got 0");
    expectError("bus:\n  redis:\n    database: -1\n", "test.yaml:3:15: bus.redis.database",
                "must be between 0 and 2147483647, got -1");
    EXPECT_EQ(loadValid("bus: {redis: {history_length: 100000}}").bus.redis.history_length, 100000u);
    expectError("bus:\n  redis:\n    history_length: 100001\n", "test.yaml:3:21: bus.redis.history_length",
                "must be between 0 and 100000, got 100001");
    EXPECT_EQ(loadValid("bus: {redis: {history_age: 8760h}}").bus.redis.history_age, 8760h);
    expectError("bus:\n  redis:\n    history_age: 8761h\n", "test.yaml:3:18: bus.redis.history_age",
                "must be between 0ms and 8760h, got 8761h");
    expectError("bus:\n  redis:\n    history_age: 10\n", "test.yaml:3:18: bus.redis.history_age",
                "a duration needs a unit (ms, s, m or h), e.g. '10s'; got '10'");
    expectError("bus:\n  redis:\n    timeout: 99ms\n", "test.yaml:3:14: bus.redis.timeout",
                "must be between 100ms and 5m, got 99ms");
    expectError("bus:\n  redis:\n    instance_ttl: 2s\n", "test.yaml:3:19: bus.redis.instance_ttl",
                "must be between 3s and 45s, got 2s");
    EXPECT_EQ(loadValid("bus: {redis: {instance_ttl: 45s}}").bus.redis.instance_ttl, 45s);
    expectError("bus:\n  redis:\n    instance_ttl: 46s\n", "test.yaml:3:19: bus.redis.instance_ttl",
                "must be between 3s and 45s, got 46s");
    EXPECT_EQ(loadValid("bus: {redis: {max_outbound_bytes: 64KiB}}").bus.redis.max_outbound_bytes, 65'536u);
    EXPECT_EQ(loadValid("bus: {redis: {max_outbound_bytes: 1GiB}}").bus.redis.max_outbound_bytes, 1u << 30);
    expectError("bus:\n  redis:\n    max_outbound_bytes: 1000\n", "test.yaml:3:25: bus.redis.max_outbound_bytes",
                "must be between 65536 (64KiB) and 1073741824 (1GiB), got 1000");
    expectError("bus:\n  redis:\n    max_outbound_bytes: 2GiB\n", "test.yaml:3:25: bus.redis.max_outbound_bytes",
                "must be between 65536 (64KiB) and 1073741824 (1GiB), got 2GiB = 2147483648");
    expectError("bus:\n  redis:\n    host: ''\n", "test.yaml:3:11: bus.redis.host", "must not be empty");
    expectError("bus:\n  redis:\n    password: ''\n", "test.yaml:3:15: bus.redis.password", "must not be empty");
}

TEST(Bus, KeyPrefixCannotHoldPatternCharacters) {
    EXPECT_EQ(loadValid("bus: {redis: {key_prefix: 'a.b-c_d:{x}/'}}").bus.redis.key_prefix, "a.b-c_d:{x}/");
    for (const char* bad : {"'a*'", "'a?'", "'a[1]'", "'a\\\\b'"})
        expectError(std::string("bus:\n  redis:\n    key_prefix: ") + bad + "\n",
                    "test.yaml:3:17: bus.redis.key_prefix",
                    "must not contain * ? [ ] or \\ (it starts a subscription pattern)");
    expectError("bus:\n  redis:\n    key_prefix: 'a b'\n", "test.yaml:3:17: bus.redis.key_prefix",
                "must not contain spaces or control characters");
    expectError("bus:\n  redis:\n    key_prefix: " + std::string(65, 'k') + "\n",
                "test.yaml:3:17: bus.redis.key_prefix", "must be at most 64 characters");
}

TEST(Bus, SectionOfTheWrongShape) {
    expectError("bus: redis\n", "test.yaml:1:6: bus", "expected a mapping (key: value lines), got 'redis'");
    expectError("bus:\n  redis: [a]\n", "test.yaml:2:10: bus.redis",
                "expected a mapping (key: value lines), got a list");
}

TEST(Bus, SeveralErrorsAreAllReported) {
    const LoadResult result = loadFromString("bus:\n  type: x\n  redis:\n    port: x\n    timeout: 1\n", "test.yaml");
    EXPECT_EQ(result.errors.size(), 3u) << allErrors(result);
}

TEST(Bus, EveryBusKeyNeedsARestart) {
    Config running;
    Config next;
    next.bus.type = BusType::Redis;
    EXPECT_EQ(keysNeedingRestart(running, next), std::vector<std::string>{"bus.type"});
    next = Config{};
    next.bus.redis.key_prefix = "other:";
    EXPECT_EQ(keysNeedingRestart(running, next), std::vector<std::string>{"bus.redis"});
    next.bus.redis.timeout = 1s;
    next.bus.type = BusType::Redis;
    next.chat.history_size = 5;  // live
    keepRestartKeys(running, next);
    EXPECT_TRUE(keysNeedingRestart(running, next).empty());
    EXPECT_EQ(next.bus.type, BusType::Memory);
    EXPECT_EQ(next.bus.redis.key_prefix, "chatd:");
    EXPECT_EQ(next.chat.history_size, 5u);
}

}  // namespace
}  // namespace chatd::config
