// The Redis bus end to end against a real redis-server: what comes back
// through the subscription, one order for two instances, and the faults:
// Redis stopped, unreachable, silent, restarted, its script cache flushed,
// a wrong password; unconfirmed publishes sent again and run once; the
// operator's view across instances and the plugins' broadcasts.
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>

#include "bus/redis_bus.h"
#include "bus_recorder.h"
#include "redis_test_support.h"

namespace chatd::bus {
namespace {

using namespace std::chrono_literals;
using test::Recorder;

class RedisBusTest : public ::testing::Test {
protected:
    RedisSettings settings(std::string instance) const {
        RedisSettings s;
        s.endpoint.port = redis_.port();
        s.key_prefix = "t:";
        s.instance_id = std::move(instance);
        s.timeout = 1s;
        s.max_backoff = 200ms;
        return s;
    }
    // A started bus (sharing before it is returned unless `expect_sharing` is false).
    std::unique_ptr<RedisBus> startBus(Recorder& recorder, RedisSettings s, bool expect_sharing = true) {
        auto bus = std::make_unique<RedisBus>(std::move(s));
        bus->start(recorder);
        if (expect_sharing) {
            EXPECT_TRUE(recorder.waitSharing(true));
        }
        return bus;
    }

    testing::RedisServer redis_;
};

// Asks `bus` and waits for the answer (a default one, not answered, after 5 s).
DirectoryAnswer ask(Bus& bus, DirectoryQuery query) {
    auto answer = std::make_shared<std::promise<DirectoryAnswer>>();
    auto future = answer->get_future();
    bus.directory(std::move(query), [answer](DirectoryAnswer got) { answer->set_value(std::move(got)); });
    if (future.wait_for(5s) != std::future_status::ready) return {};
    return future.get();
}

PublishRequest message(std::string text, std::string from = "alice") {
    return PublishRequest{"r", std::move(from), std::move(text), std::nullopt, ""};
}

TEST_F(RedisBusTest, APublishComesBackThroughTheSubscription) {
    Recorder recorder;
    auto bus = startBus(recorder, settings("A"));
    EXPECT_EQ(bus->state(), "redis");
    bus->publish(PublishRequest{"r", "alice", "hello", std::string("id1"), ""});
    const auto got = recorder.take<RemoteMessage>();
    EXPECT_EQ(got.message.seq, 1u);
    EXPECT_EQ(got.message.text, "hello");
    EXPECT_EQ(got.message.from, "alice");
    EXPECT_EQ(got.message.id, "id1");
    EXPECT_NE(redis_.command({"ZSCORE", "t:instances", "A"}), "(nil)");  // the heartbeat registered it
}

TEST_F(RedisBusTest, TwoInstancesSeeOneOrderAndOneNumbering) {
    Recorder a_events, b_events;
    auto a = startBus(a_events, settings("A"));
    auto b = startBus(b_events, settings("B"));
    constexpr int kEach = 60;
    for (int i = 0; i < kEach; ++i) {
        a->publish(message("a" + std::to_string(i), "alice"));
        b->publish(message("b" + std::to_string(i), "bob"));
    }
    std::vector<std::string> seen_a, seen_b;
    for (int i = 1; i <= 2 * kEach; ++i) {
        const auto at_a = a_events.take<RemoteMessage>();
        const auto at_b = b_events.take<RemoteMessage>();
        EXPECT_EQ(at_a.message.seq, static_cast<std::uint64_t>(i));
        EXPECT_EQ(at_b.message.seq, static_cast<std::uint64_t>(i));
        seen_a.push_back(at_a.message.text);
        seen_b.push_back(at_b.message.text);
    }
    EXPECT_EQ(seen_a, seen_b);
}

TEST_F(RedisBusTest, AJoinIsAnsweredByItsSyncPointATakenNickByARefusal) {
    Recorder a_events, b_events;
    auto a = startBus(a_events, settings("A"));
    auto b = startBus(b_events, settings("B"));
    a->claim(ClaimRequest{"r", 1, "alice", "", true, std::nullopt, 10});
    const auto point = a_events.take<SyncPoint>();
    EXPECT_EQ(point.token, 1u);
    EXPECT_EQ(point.users, std::vector<std::string>{"alice"});
    b->claim(ClaimRequest{"r", 2, "ALICE", "", true, std::nullopt, 10});
    const auto refused = b_events.take<ClaimAnswer>();
    EXPECT_EQ(refused.token, 2u);
    EXPECT_TRUE(refused.taken);
    // Both instances hear alice's join.
    EXPECT_EQ(b_events.take<RemotePresence>().nick, "alice");
    b->claim(ClaimRequest{"r", 3, "bob", "", false, std::nullopt, 0});  // a rename is answered directly
    EXPECT_FALSE(b_events.take<ClaimAnswer>().taken);
}

// 1.1: a post's origin travels in its record (live and in the log), and a
// kicked member's leave carries its reason to every instance.
TEST_F(RedisBusTest, APostKeepsItsOriginAndAKickedLeaveItsReason) {
    Recorder a_events, b_events;
    auto a = startBus(a_events, settings("A"));
    auto b = startBus(b_events, settings("B"));
    a->publish(PublishRequest{.room = "r", .from = "announce", .text = "news", .id = std::nullopt, .origin = "plugin"});
    a->publish(message("plain"));
    const auto post = b_events.take<RemoteMessage>();
    EXPECT_EQ(post.message.origin, "plugin");
    EXPECT_EQ(post.message.from, "announce");
    EXPECT_EQ(post.message.text, "news");
    EXPECT_EQ(b_events.take<RemoteMessage>().message.origin, "");
    EXPECT_EQ(a_events.take<RemoteMessage>().message.origin, "plugin");

    b->history(HistoryRequest{.room = "r", .token = 7, .epoch = post.message.epoch, .before = std::nullopt, .limit = 10});
    const auto page = b_events.take<HistoryAnswer>();
    ASSERT_EQ(page.messages.size(), 2u);
    EXPECT_EQ(page.messages[0].origin, "plugin");
    EXPECT_EQ(page.messages[1].origin, "");

    a->claim(ClaimRequest{"r", 1, "bob", "", true, std::nullopt, 10});
    a_events.take<SyncPoint>();
    b_events.take<RemotePresence>();  // bob's join
    a->release(ReleaseRequest{.room = "r", .nick = "bob", .reason = "kicked"});
    const auto left = b_events.take<RemotePresence>();
    EXPECT_EQ(left.event, "leave");
    EXPECT_EQ(left.nick, "bob");
    EXPECT_EQ(left.reason, "kicked");
}

TEST_F(RedisBusTest, RedisStoppedMeansDegradedAndBackMeansSharingAgain) {
    Recorder recorder;
    auto bus = startBus(recorder, settings("A"));
    bus->publish(message("before"));
    EXPECT_EQ(recorder.take<RemoteMessage>().message.seq, 1u);
    redis_.stop();
    ASSERT_TRUE(recorder.waitSharing(false));
    EXPECT_EQ(bus->state(), "degraded");
    bus->publish(message("while down"));
    const auto bounced = recorder.take<Bounced>();
    ASSERT_TRUE(std::holds_alternative<PublishRequest>(bounced.request));
    EXPECT_EQ(std::get<PublishRequest>(bounced.request).text, "while down");
    redis_.start();  // empty: no persistence
    ASSERT_TRUE(recorder.waitSharing(true));
    bus->publish(message("after"));
    const auto after = recorder.take<RemoteMessage>();
    EXPECT_EQ(after.message.text, "after");
    EXPECT_EQ(after.message.seq, 1u);  // a new epoch
}

TEST_F(RedisBusTest, UnreachableAtStartServesLocallyUntilItComes) {
    Recorder recorder;
    RedisSettings s = settings("A");
    redis_.stop();
    auto bus = startBus(recorder, s, false);
    EXPECT_FALSE(bus->waitUntilSharing(300ms));
    EXPECT_EQ(bus->state(), "degraded");
    bus->claim(ClaimRequest{"r", 4, "alice", "", true, std::nullopt, 10});
    EXPECT_TRUE(std::holds_alternative<ClaimRequest>(recorder.take<Bounced>().request));
    redis_.start();
    EXPECT_TRUE(bus->waitUntilSharing(15s));
}

TEST_F(RedisBusTest, ASilentRedisIsNoticedAndTheUnconfirmedPublishRunsOnce) {
    Recorder recorder;
    auto bus = startBus(recorder, settings("A"));
    redis_.pause();
    bus->publish(message("in flight"));  // sent, never answered
    ASSERT_TRUE(recorder.waitSharing(false));
    redis_.resume();
    ASSERT_TRUE(recorder.waitSharing(true));
    bus->publish(message("next"));
    const auto next = recorder.take<RemoteMessage>([](const RemoteMessage& m) { return m.message.text == "next"; });
    // "in flight" ran exactly once: before "next", whichever copy got there first.
    EXPECT_EQ(next.message.seq, 2u);
    EXPECT_EQ(redis_.command({"XLEN", "t:room:r:log"}), "2");
}

TEST_F(RedisBusTest, AFlushedScriptCacheIsRefilledWithEval) {
    Recorder recorder;
    auto bus = startBus(recorder, settings("A"));
    redis_.command({"SCRIPT", "FLUSH"});
    bus->publish(message("after flush"));
    EXPECT_EQ(recorder.take<RemoteMessage>().message.text, "after flush");
    EXPECT_EQ(bus->state(), "redis");
}

TEST_F(RedisBusTest, AWrongPasswordNeverShares) {
    redis_.command({"CONFIG", "SET", "requirepass", "secret"});
    Recorder wrong_events;
    RedisSettings wrong = settings("A");
    wrong.password = "guess";
    auto wrong_bus = startBus(wrong_events, wrong, false);
    EXPECT_FALSE(wrong_bus->waitUntilSharing(1500ms));
    Recorder right_events;
    RedisSettings right = settings("B");
    right.password = "secret";
    auto right_bus = startBus(right_events, right);
    EXPECT_EQ(right_bus->state(), "redis");
}

TEST_F(RedisBusTest, KeysGoToTheConfiguredDatabase) {
    Recorder recorder;
    RedisSettings s = settings("A");
    s.database = 3;
    auto bus = startBus(recorder, s);
    bus->publish(message("x"));
    recorder.take<RemoteMessage>();
    EXPECT_EQ(redis_.command({"EXISTS", "t:room:r:meta"}), "0");  // not in database 0
    const std::string keyspace = redis_.command({"INFO", "keyspace"});
    EXPECT_NE(keyspace.find("db3:keys="), std::string::npos) << keyspace;
    EXPECT_EQ(keyspace.find("db0:"), std::string::npos) << keyspace;
}

TEST_F(RedisBusTest, StoppingSaysGoodbye) {
    Recorder recorder;
    auto bus = startBus(recorder, settings("A"));
    bus->claim(ClaimRequest{"r", 1, "alice", "", true, std::nullopt, 10});
    recorder.take<SyncPoint>();
    bus->stop(2s);
    EXPECT_EQ(redis_.command({"HLEN", "t:room:r:users"}), "0");
    EXPECT_EQ(redis_.command({"ZSCORE", "t:instances", "A"}), "(nil)");
}

// chatdctl rooms, who and disconnect NICK through the bus: the rooms and
// members of every live instance, and a disconnect handed to the holder.
TEST_F(RedisBusTest, TheDirectorySeesEveryInstanceAndADisconnectReachesTheHolder) {
    Recorder a_events, b_events;
    auto a = startBus(a_events, settings("A"));
    auto b = startBus(b_events, settings("B"));
    EXPECT_EQ(a->instanceId(), "A");
    a->claim(ClaimRequest{"r", 1, "alice", "", false, std::nullopt, 0});
    b->claim(ClaimRequest{"r", 2, "bob", "", false, std::nullopt, 0});
    b->claim(ClaimRequest{"s", 3, "Carol", "", false, std::nullopt, 0});
    a_events.take<ClaimAnswer>();
    b_events.take<ClaimAnswer>();
    b_events.take<ClaimAnswer>();

    const DirectoryAnswer rooms = ask(*a, {.kind = DirectoryQuery::Kind::Rooms, .room = {}, .nick = {}, .reason = {}});
    ASSERT_TRUE(rooms.answered) << rooms.error;
    ASSERT_EQ(rooms.rooms.size(), 2u);
    EXPECT_EQ(rooms.rooms[0].room, "r");
    EXPECT_EQ(rooms.rooms[0].members, 2u);
    EXPECT_EQ(rooms.rooms[1].room, "s");
    EXPECT_EQ(rooms.rooms[1].members, 1u);

    const DirectoryAnswer who = ask(*a, {.kind = DirectoryQuery::Kind::Who, .room = "r", .nick = {}, .reason = {}});
    ASSERT_TRUE(who.answered) << who.error;
    ASSERT_EQ(who.members.size(), 2u);
    EXPECT_EQ(who.members[0].nick, "alice");
    EXPECT_EQ(who.members[0].instance, "A");
    EXPECT_EQ(who.members[1].nick, "bob");
    EXPECT_EQ(who.members[1].instance, "B");

    const DirectoryAnswer told =
        ask(*a, {.kind = DirectoryQuery::Kind::DisconnectNick, .room = {}, .nick = "carol", .reason = "bye"});
    ASSERT_TRUE(told.answered) << told.error;
    EXPECT_EQ(told.instances_told, 1u);
    const auto heard = b_events.disconnects(1);
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0], (std::pair<std::string, std::string>{"carol", "bye"}));

    redis_.stop();
    ASSERT_TRUE(a_events.waitSharing(false));
    const DirectoryAnswer down = ask(*a, {.kind = DirectoryQuery::Kind::Rooms, .room = {}, .nick = {}, .reason = {}});
    EXPECT_FALSE(down.answered);
    EXPECT_FALSE(down.error.empty());
    EXPECT_TRUE(a_events.disconnects(0).empty());
}

// A plugin's broadcast reaches the other instances once, not its own;
// oversized ones and those made while Redis is unreachable are refused.
TEST_F(RedisBusTest, APluginBroadcastReachesTheOthersNotItself) {
    Recorder a_events, b_events;
    auto a = startBus(a_events, settings("A"));
    auto b = startBus(b_events, settings("B"));
    const std::string biggest(RedisBus::kMaxBroadcastPayload, 'p');
    EXPECT_FALSE(a->broadcast({"moderation", biggest + "p"}));
    EXPECT_TRUE(a->broadcast({"moderation", "ban eve"}));
    EXPECT_TRUE(a->broadcast({"moderation", biggest}));
    const auto at_b = b_events.broadcasts(2);
    ASSERT_EQ(at_b.size(), 2u);
    EXPECT_EQ(at_b[0].first, "A");
    EXPECT_EQ(at_b[0].second.plugin, "moderation");
    EXPECT_EQ(at_b[0].second.payload, "ban eve");
    EXPECT_EQ(at_b[1].second.payload, biggest);
    // B's answer reaches A after A's own two would have (one Redis, one order).
    EXPECT_TRUE(b->broadcast({"moderation", "ban mallory"}));
    const auto at_a = a_events.broadcasts(1);
    ASSERT_EQ(at_a.size(), 1u);
    EXPECT_EQ(at_a[0].first, "B");
    EXPECT_EQ(at_a[0].second.payload, "ban mallory");

    redis_.stop();
    ASSERT_TRUE(a_events.waitSharing(false));
    EXPECT_FALSE(a->broadcast({"moderation", "ban walter"}));
}

}  // namespace
}  // namespace chatd::bus
