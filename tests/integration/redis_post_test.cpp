// Posts and kicks across two instances sharing rooms through a real
// redis-server: two room cores (tests/support/chat_core.h, the hub, shards,
// sessions and IO loops of an instance without its HTTP server), each on its
// own Redis bus. A plugin's post on one instance reaches the members of both
// with one seq and its origin; a kick on one is a `leave` with reason
// "kicked" on the other, and a kick by nick reaches the instance holding it.
#include <gtest/gtest.h>

#include "bus/redis_bus.h"
#include "chat_core.h"
#include "redis_server.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

class RedisPosts : public ::testing::Test {
protected:
    std::unique_ptr<ChatCore> instance(const std::string& id) {
        bus::RedisSettings settings;
        settings.endpoint.port = redis_.port();
        settings.key_prefix = "posts:";
        settings.instance_id = id;
        settings.timeout = 1s;
        settings.instance_ttl = 3s;
        ChatCore::Options options;
        options.bus = std::make_unique<bus::RedisBus>(std::move(settings));
        auto core = std::make_unique<ChatCore>(std::move(options));
        EXPECT_TRUE(core->hub().bus().waitUntilSharing(15s));
        return core;
    }

    RedisServer redis_;
};

std::string joinFrame(const std::string& room, const std::string& nick) {
    return R"({"type":"join","room":")" + room + R"(","nick":")" + nick + R"("})";
}

TEST_F(RedisPosts, APostReachesBothInstancesAndAKickIsSeenOnTheOther) {
    auto a = instance("A");
    auto b = instance("B");
    auto alice = a->connect();
    alice->sendText(joinFrame("r", "alice"));
    alice->waitFor("welcome");
    auto bob = b->connect();
    bob->sendText(joinFrame("r", "bob"));
    const std::uint64_t bob_id = std::stoull(str(bob->waitFor("welcome"), "session"));
    alice->waitForPresence("join", "bob");

    a->hub().submit(chat::PostCommand{
        .room = "r", .from = "announce", .text = "to everyone", .origin = chat::PostOrigin::Plugin, .plugin = "announce"});
    const json::Value at_a = alice->waitFor("message", 10s);
    const json::Value at_b = bob->waitFor("message", 10s);
    for (const json::Value* message : {&at_a, &at_b}) {
        EXPECT_EQ(str(*message, "text"), "to everyone");
        EXPECT_EQ(str(*message, "from"), "announce");
        EXPECT_EQ(str(*message, "origin"), "plugin");
    }
    EXPECT_EQ(uint(at_a, "seq"), uint(at_b, "seq"));
    EXPECT_EQ(str(at_a, "epoch"), str(at_b, "epoch"));

    // The operator on B posts into a room only A has members in.
    auto carol = a->connect();
    carol->sendText(joinFrame("quiet", "carol"));
    carol->waitFor("welcome");
    b->hub().submit(chat::PostCommand{
        .room = "quiet", .from = "admin", .text = "from B", .origin = chat::PostOrigin::Admin, .plugin = ""});
    const json::Value quiet = carol->waitFor("message", 10s);
    EXPECT_EQ(str(quiet, "origin"), "admin");
    EXPECT_EQ(str(quiet, "text"), "from B");

    b->hub().submit(chat::KickCommand{.session_id = bob_id, .room = "r", .reason = "enough", .by = "admin"});
    EXPECT_EQ(str(bob->waitFor("kicked"), "reason"), "enough");
    EXPECT_EQ(str(alice->waitForPresence("leave", "bob", 10s), "reason"), "kicked");

    // The operator on B kicks alice, a member of A, by nick.
    b->hub().submit(chat::KickNickCommand{.room = "r", .nick = "alice", .reason = "from B", .by = "admin"});
    EXPECT_EQ(str(alice->waitFor("kicked", 10s), "reason"), "from B");
}

}  // namespace
}  // namespace chatd::testing
