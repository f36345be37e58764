// The built chatd binary, several instances on one real redis-server: the
// tutorial's closing scene (two ports, one conversation), a crashed instance
// whose users disappear from the others, and a clean stop that says goodbye.
#include <gtest/gtest.h>

#include <csignal>

#include "daemon_fixture.h"
#include "redis_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

std::string busYaml(const RedisServer& redis) {
    return testYaml("log:\n  level: info\nbus:\n  type: redis\n  redis:\n    port: " + std::to_string(redis.port()) +
                    "\n    key_prefix: \"e2e:\"\n    instance_ttl: 3s\n    timeout: 1s\n");
}

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& nick, json::Value* welcome = nullptr) {
    return joinedClient(port, nick, "lobby", {}, welcome);
}

TEST(ScaleOut, TwoInstancesOnTwoPortsChatWithEachOther) {
    RedisServer redis;
    Daemon first(busYaml(redis));
    Daemon second(busYaml(redis));
    ASSERT_NE(first.port(), second.port());
    EXPECT_TRUE(first.process().waitForOutput("bus: sharing rooms through Redis", std::chrono::seconds(5)));
    auto alice = joined(first.port(), "alice");
    auto bob = joined(second.port(), "bob");
    alice->sendText(R"({"type":"message","text":"hi from 8080"})");
    EXPECT_EQ(str(bob->waitFor("message"), "text"), "hi from 8080");
    bob->sendText(R"({"type":"message","text":"hi from 8081"})");
    json::Value reply;
    do reply = alice->waitFor("message");
    while (str(reply, "text") != "hi from 8081");
    EXPECT_EQ(uint(reply, "seq"), 2u);
    // The tutorial's own page is a raw client: it takes part too.
    WsOptions raw;
    raw.protocol = std::nullopt;
    auto tutorial = WsClient::connect(second.port(), raw);
    bob->waitForPresence("join", "guest-1");
    alice->sendText(R"({"type":"message","text":"for the tutorial page"})");
    std::optional<Frame> frame;
    while ((frame = tutorial->receive()) && frame->payload != "for the tutorial page") {
    }
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->opcode, ws::Opcode::Binary);
}

TEST(ScaleOut, ACrashedInstancesUsersLeaveTheOthersRooms) {
    RedisServer redis;
    Daemon survivor(busYaml(redis));
    auto watcher = joined(survivor.port(), "watcher");
    {
        Daemon doomed(busYaml(redis));
        auto zed = joined(doomed.port(), "zed");
        watcher->waitForPresence("join", "zed");
        doomed.process().signal(SIGKILL);  // no goodbye, no leave
        ASSERT_TRUE(doomed.process().waitExit(std::chrono::seconds(10)));
    }
    // instance_ttl 3s, renewed every second: gone within a few seconds.
    const json::Value left = watcher->waitForPresence("leave", "zed", std::chrono::seconds(30));
    EXPECT_EQ(uint(left, "count"), 1u);
    // And its nick is free again.
    auto again = joined(survivor.port(), "zed");
    SUCCEED();
}

TEST(ScaleOut, AStoppedInstanceTakesItsUsersOutAtOnce) {
    RedisServer redis;
    Daemon staying(busYaml(redis));
    auto watcher = joined(staying.port(), "watcher");
    Daemon leaving(busYaml(redis));
    auto zed = joined(leaving.port(), "zed");
    watcher->waitForPresence("join", "zed");
    leaving.process().signal(SIGTERM);
    ASSERT_EQ(leaving.process().waitExit(std::chrono::seconds(20)), 0);
    EXPECT_NO_THROW(watcher->waitForPresence("leave", "zed", std::chrono::seconds(2)));
    EXPECT_EQ(redis.command({"ZCARD", "e2e:instances"}), "1");
}

TEST(ScaleOut, AnInstanceStartsWithoutRedisAndSharesOnceItComes) {
    RedisServer redis;
    redis.stop();
    Daemon lonely(busYaml(redis));
    EXPECT_TRUE(lonely.process().waitForOutput("Redis is not reachable yet", std::chrono::seconds(10)));
    auto alice = joined(lonely.port(), "alice");
    alice->sendText(R"({"type":"message","text":"alone"})");
    EXPECT_EQ(str(alice->waitFor("message"), "text"), "alone");  // served locally
    redis.start();
    EXPECT_TRUE(lonely.process().waitForOutput("connected to Redis", std::chrono::seconds(20)));
    Daemon other(busYaml(redis));
    auto bob = joined(other.port(), "bob");
    alice->waitForPresence("join", "bob", std::chrono::seconds(10));
    bob->sendText(R"({"type":"message","text":"together"})");
    json::Value got;
    do got = alice->waitFor("message");
    while (str(got, "text") != "together");
}

}  // namespace
}  // namespace chatd::testing
