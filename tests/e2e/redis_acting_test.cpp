// Acting plugins and chatdctl across two chatd instances on one real
// redis-server: a timer post reaches the members on both with one seq, and
// `chatdctl kick` on one instance removes a member connected to the other.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "redis_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// Instance `name`'s config: the Redis bus, a control socket in `dir`, and
// (on the first one only) the admission test plugin posting into lobby.
std::string instanceYaml(const RedisServer& redis, const TempDir& dir, const std::string& name, bool ticking) {
    std::string yaml = "bus:\n  type: redis\n  redis:\n    port: " + std::to_string(redis.port()) +
                       "\n    key_prefix: \"acting:\"\n    timeout: 1s\ncontrol:\n  socket: " +
                       (dir.path() / (name + ".sock")).string() + "\n";
    if (ticking)
        yaml += "plugins:\n  - name: admission\n    path: " TEST_PLUGIN_DIR "/admission.so\n    tick: 300ms\n"
                "    config:\n      tick_room: lobby\n      tick_from: ticker\n";
    return testYaml(yaml);
}

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& nick) {
    auto client = WsClient::connect(port);
    client->sendText(R"({"type":"join","room":"lobby","nick":")" + nick + R"("})");
    client->waitFor("welcome");
    return client;
}

// The next message from the plugin's ticker.
json::Value nextTick(WsClient& client) {
    json::Value message;
    do message = client.waitFor("message", 5s);
    while (str(message, "from") != "ticker");
    return message;
}

TEST(ScaleOutActing, ATimerPostReachesBothInstancesAndAKickCrossesThem) {
    RedisServer redis;
    TempDir dir;
    Daemon first(instanceYaml(redis, dir, "a", true));
    Daemon second(instanceYaml(redis, dir, "b", false));
    ASSERT_TRUE(first.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    ASSERT_TRUE(second.process().waitForOutput("bus: sharing rooms through Redis", 5s));
    auto alice = joined(first.port(), "alice");
    auto bob = joined(second.port(), "bob");

    // One post, one seq, on both instances, with its origin.
    const json::Value on_first = nextTick(*alice);
    json::Value on_second;
    do on_second = nextTick(*bob);
    while (on_second.find("seq")->asUint() < on_first.find("seq")->asUint());
    EXPECT_EQ(on_second.find("seq")->asUint(), on_first.find("seq")->asUint());
    EXPECT_EQ(str(on_second, "origin"), "plugin");

    // chatdctl on the first instance kicks bob, connected to the second.
    const auto [code, output] =
        runChatdctl((dir.path() / "a.sock").string(), {"kick", "lobby", "bob", "--reason", "across"});
    ASSERT_EQ(code, 0) << output;
    const json::Value kicked = bob->waitFor("kicked");
    EXPECT_EQ(str(kicked, "by"), "admin");
    EXPECT_EQ(str(kicked, "reason"), "across");
    EXPECT_EQ(str(alice->waitForPresence("leave", "bob"), "reason"), "kicked");
}

}  // namespace
}  // namespace chatd::testing
