// The Lua scripts of the Redis bus against a real redis-server, called with
// exactly the arguments the bus builds (RedisCalls): numbering, history,
// epochs, at-most-once publishing, nick claims across instances, resync and
// the heartbeat that removes dead instances' members; the operator's view
// across instances (rooms, who, disconnect by nick).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "bus/record.h"
#include "redis_test_support.h"

namespace chatd::bus {
namespace {

using test::eval;
using test::Subscriber;

constexpr const char* kAlive = "9000000000000000";  // an expiry far ahead (ms)

class Scripts : public ::testing::Test {
protected:
    static void SetUpTestSuite() { redis_ = new testing::RedisServer(); }
    static void TearDownTestSuite() {
        delete redis_;
        redis_ = nullptr;
    }
    void SetUp() override {
        redis().flushAll();
        // Both instances alive, as their heartbeats would keep them.
        redis().command({"ZADD", "t:instances", kAlive, "A", kAlive, "B"});
    }

    static testing::RedisServer& redis() { return *redis_; }
    static RedisSettings settings(std::size_t history_length = 100, std::chrono::milliseconds age = {}) {
        RedisSettings s;
        s.key_prefix = "t:";
        s.history_length = history_length;
        s.history_age = age;
        return s;
    }
    std::string publish(const RedisCalls& calls, std::string text, std::uint64_t counter,
                        const std::string& epoch = "E1") {
        return eval(redis(), calls.publish({"r", "alice", std::move(text), std::nullopt, ""}, counter, epoch));
    }
    std::string join(const RedisCalls& calls, std::string nick, std::uint64_t token = 1,
                     std::optional<Position> since = std::nullopt, std::size_t recent = 100) {
        return eval(redis(), calls.claim({"r", token, std::move(nick), "", true, std::move(since), recent}, "E1"));
    }

    // `nick` joins `room` from the instance of `calls`.
    void joinRoom(const RedisCalls& calls, const std::string& room, const std::string& nick) {
        EXPECT_EQ(eval(redis(), calls.claim({room, 1, nick, "", false, std::nullopt, 0}, "E1")), "ok");
    }
    // A member of instance C, whose heartbeat stopped: still in Redis until reaped.
    void deadMember(const std::string& room, const std::string& nick) {
        redis().command({"ZADD", "t:instances", "1", "C"});
        redis().command({"SADD", "t:instance:C:rooms", room});
        redis().command({"HSET", "t:room:" + room + ":users", nick, "C " + nick});
    }
    // A flat reply "k1\nv1\nk2\nv2..." as a map.
    static std::map<std::string, std::string> pairs(const std::string& text) {
        std::map<std::string, std::string> out;
        std::istringstream lines(text);
        std::string key, value;
        while (std::getline(lines, key) && std::getline(lines, value)) out[key] = value;
        return out;
    }

    RedisCalls a_{settings(), "A"};
    RedisCalls b_{settings(), "B"};

private:
    static testing::RedisServer* redis_;
};

testing::RedisServer* Scripts::redis_ = nullptr;

TEST_F(Scripts, PublishNumbersStoresAndPublishesInOneStep) {
    Subscriber sub(redis(), {"t:room:*"}, {});
    EXPECT_EQ(eval(redis(), a_.publish({"r", "alice", "hi", std::string("m1"), ""}, 1, "E1")), "1");
    const auto first = sub.next();
    EXPECT_EQ(first.channel, "t:room:r");
    const auto message = decodeMessageRecord(first.payload);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->epoch, "E1");
    EXPECT_EQ(message->seq, 1u);
    EXPECT_EQ(message->from, "alice");
    EXPECT_EQ(message->text, "hi");
    EXPECT_EQ(message->id, "m1");
    EXPECT_GT(message->ts_ms, 1'600'000'000'000);
    // The epoch is set once (SET NX semantics): the next candidate is ignored.
    EXPECT_EQ(publish(a_, "again", 2, "E2"), "2");
    EXPECT_EQ(decodeMessageRecord(sub.next().payload)->epoch, "E1");
    EXPECT_EQ(redis().command({"HGET", "t:room:r:meta", "seq"}), "2");
    EXPECT_EQ(redis().command({"XLEN", "t:room:r:log"}), "2");
    EXPECT_TRUE(sub.nothingMore());
}

TEST_F(Scripts, HistoryIsCappedAtItsLength) {
    const RedisCalls calls(settings(3), "A");
    for (int i = 1; i <= 5; ++i) EXPECT_EQ(publish(calls, "m" + std::to_string(i), i), std::to_string(i));
    EXPECT_EQ(redis().command({"XLEN", "t:room:r:log"}), "3");
    // The oldest kept is seq 3: XRANGE's first entry is "<id>\ns\n3\n...".
    const std::string first = redis().command({"XRANGE", "t:room:r:log", "-", "+", "COUNT", "1"});
    EXPECT_NE(first.find("\ns\n3\n"), std::string::npos) << first;
}

TEST_F(Scripts, HistoryLengthZeroKeepsNoHistoryButStillNumbers) {
    const RedisCalls calls(settings(0), "A");
    EXPECT_EQ(publish(calls, "a", 1), "1");
    EXPECT_EQ(publish(calls, "b", 2), "2");
    EXPECT_EQ(redis().command({"EXISTS", "t:room:r:log"}), "0");
}

TEST_F(Scripts, HistoryAgeTrimsOldEntriesAndExpiresTheRoom) {
    const RedisCalls calls(settings(100, std::chrono::milliseconds(60'000)), "A");
    redis().command({"HSET", "t:room:r:meta", "epoch", "E1", "seq", "1"});
    redis().command({"XADD", "t:room:r:log", "1-1", "s", "1", "e", "E1", "m", "old"});  // 1970: far too old
    EXPECT_EQ(publish(calls, "new", 1), "2");
    EXPECT_EQ(redis().command({"XLEN", "t:room:r:log"}), "1");
    const long ttl = std::stol(redis().command({"PTTL", "t:room:r:meta"}));
    EXPECT_GT(ttl, 0);
    EXPECT_LE(ttl, 60'000);
    EXPECT_GT(std::stol(redis().command({"PTTL", "t:room:r:log"})), 0);
}

TEST_F(Scripts, EachPublishCounterRunsAtMostOncePerInstanceInAnyOrder) {
    Subscriber sub(redis(), {"t:room:*"}, {});
    EXPECT_EQ(publish(a_, "x", 5), "1");
    sub.next();
    EXPECT_EQ(publish(a_, "x again", 5), "0");  // sent again after a lost link
    EXPECT_TRUE(sub.nothingMore());
    EXPECT_EQ(publish(a_, "overtaken", 4), "2");  // never ran: runs now, once
    EXPECT_EQ(publish(a_, "overtaken again", 4), "0");
    EXPECT_EQ(publish(a_, "y", 6), "3");
    EXPECT_EQ(publish(a_, "x once more", 5), "0");
    EXPECT_EQ(publish(b_, "from B", 1), "4");  // counters are per instance
    EXPECT_EQ(publish(a_, "far ahead", 100), "5");
    EXPECT_EQ(publish(a_, "far behind", 40), "0");  // beyond the 52 remembered: taken as run
    EXPECT_EQ(publish(a_, "just behind", 99), "6");
    EXPECT_EQ(redis().command({"HGET", "t:room:r:meta", "seq"}), "6");
}

TEST_F(Scripts, ARoomRedisLostStartsANewEpochAndHistory) {
    publish(a_, "one", 1);
    publish(a_, "two", 2);
    redis().command({"DEL", "t:room:r:meta"});  // evicted or flushed; the stream is stale now
    EXPECT_EQ(publish(a_, "three", 3, "E2"), "1");
    EXPECT_EQ(redis().command({"HGET", "t:room:r:meta", "epoch"}), "E2");
    EXPECT_EQ(redis().command({"XLEN", "t:room:r:log"}), "1");
}

TEST_F(Scripts, AJoinIsPlacedInTheOrderThenAnnounced) {
    publish(a_, "before", 1);
    Subscriber sub(redis(), {"t:room:*"}, {a_.ownChannel()});
    EXPECT_EQ(join(a_, "Alice", 7), "ok");
    const auto sync = sub.next();
    EXPECT_EQ(sync.channel, "t:instance:A");
    const auto point = decodeSyncRecord(sync.payload);
    ASSERT_TRUE(point);
    EXPECT_EQ(point->room, "r");
    EXPECT_EQ(point->point.token, 7u);
    EXPECT_EQ(point->point.position, (Position{"E1", 1}));
    EXPECT_FALSE(point->point.recovered);
    EXPECT_EQ(point->point.users, std::vector<std::string>{"Alice"});
    ASSERT_EQ(point->point.messages.size(), 1u);
    EXPECT_EQ(point->point.messages[0].text, "before");
    const auto presence = decodePresenceRecord(sub.next().payload, "A");
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->event, "join");
    EXPECT_EQ(presence->nick, "Alice");
    EXPECT_EQ(presence->count, 1u);
    EXPECT_EQ(redis().command({"HGET", "t:room:r:users", "alice"}), "A Alice");
    EXPECT_EQ(redis().command({"SISMEMBER", "t:instance:A:rooms", "r"}), "1");
}

// A raw client's join: no welcome is ever sent, so the sync point carries
// neither the users (a storm of raw joins would cost O(n^2)) nor history.
TEST_F(Scripts, AJoinWithoutUsersPlacesItButListsNobody) {
    publish(a_, "before", 1);
    EXPECT_EQ(join(a_, "Alice", 1), "ok");
    Subscriber sub(redis(), {"t:room:*"}, {a_.ownChannel()});
    ClaimRequest raw{"r", 2, "guest-1", "", true, std::nullopt, 0};
    raw.users = false;
    EXPECT_EQ(eval(redis(), a_.claim(raw, "E1")), "ok");
    const auto point = decodeSyncRecord(sub.next().payload);
    ASSERT_TRUE(point);
    EXPECT_EQ(point->point.token, 2u);
    EXPECT_EQ(point->point.position, (Position{"E1", 1}));
    EXPECT_TRUE(point->point.users.empty());
    EXPECT_TRUE(point->point.messages.empty());
    const auto presence = decodePresenceRecord(sub.next().payload, "A");
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->nick, "guest-1");
    EXPECT_EQ(presence->count, 2u);  // counted all the same
}

TEST_F(Scripts, ANickLiveOnAnotherInstanceIsTakenADeadOnesIsNot) {
    EXPECT_EQ(join(b_, "Bob"), "ok");
    EXPECT_EQ(join(a_, "bob"), "taken");  // case-insensitively
    EXPECT_EQ(redis().command({"HGET", "t:room:r:users", "bob"}), "B Bob");
    redis().command({"ZADD", "t:instances", "1", "B"});  // B's time ran out
    EXPECT_EQ(join(a_, "bob"), "ok");
    EXPECT_EQ(redis().command({"HGET", "t:room:r:users", "bob"}), "A bob");
}

TEST_F(Scripts, ASinceIsRecoveredExactlyOrTheRecentHistoryIsSent) {
    const RedisCalls calls(settings(3), "A");
    for (int i = 1; i <= 5; ++i) publish(calls, "m" + std::to_string(i), i);  // the log holds 3..5
    auto joinSince = [&](std::optional<Position> since, std::size_t recent) {
        Subscriber sub(redis(), {}, {calls.ownChannel()});
        EXPECT_EQ(eval(redis(), calls.claim({"r", 1, "ann", "", true, since, recent}, "E1")), "ok");
        return decodeSyncRecord(sub.next().payload)->point;
    };
    auto seqs = [](const SyncPoint& point) {
        std::vector<std::uint64_t> out;
        for (const auto& m : point.messages) out.push_back(m.seq);
        return out;
    };
    SyncPoint point = joinSince(Position{"E1", 2}, 10);
    EXPECT_TRUE(point.recovered);
    EXPECT_EQ(seqs(point), (std::vector<std::uint64_t>{3, 4, 5}));
    point = joinSince(Position{"E1", 5}, 10);
    EXPECT_TRUE(point.recovered);
    EXPECT_TRUE(point.messages.empty());
    point = joinSince(Position{"E1", 1}, 2);  // 2 is no longer held
    EXPECT_FALSE(point.recovered);
    EXPECT_EQ(seqs(point), (std::vector<std::uint64_t>{4, 5}));
    point = joinSince(Position{"other", 4}, 10);
    EXPECT_FALSE(point.recovered);
    EXPECT_EQ(seqs(point), (std::vector<std::uint64_t>{3, 4, 5}));
    point = joinSince(Position{"E1", 9}, 10);  // from the future
    EXPECT_FALSE(point.recovered);
    point = joinSince(std::nullopt, 0);
    EXPECT_FALSE(point.recovered);
    EXPECT_TRUE(point.messages.empty());
}

TEST_F(Scripts, ARenameMovesTheClaimAndIsAnnounced) {
    join(a_, "alice");
    Subscriber sub(redis(), {"t:room:*"}, {a_.ownChannel()});
    EXPECT_EQ(eval(redis(), a_.claim({"r", 2, "alice2", "alice", false, std::nullopt, 0}, "E1")), "ok");
    const auto presence = decodePresenceRecord(sub.next().payload, "A");  // no sync point for a rename
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->event, "nick");
    EXPECT_EQ(presence->nick, "alice2");
    EXPECT_EQ(presence->old_nick, "alice");
    EXPECT_EQ(presence->count, 1u);
    EXPECT_EQ(redis().command({"HEXISTS", "t:room:r:users", "alice"}), "0");
    EXPECT_TRUE(sub.nothingMore());
}

TEST_F(Scripts, AReleaseRemovesOnlyTheInstancesOwnMember) {
    join(a_, "alice");
    Subscriber sub(redis(), {"t:room:*"}, {});
    EXPECT_EQ(eval(redis(), b_.release({"r", "alice", ""})), "0");
    EXPECT_TRUE(sub.nothingMore());
    EXPECT_EQ(eval(redis(), a_.release({"r", "ALICE", ""})), "1");
    const auto presence = decodePresenceRecord(sub.next().payload, "A");
    EXPECT_EQ(presence->event, "leave");
    EXPECT_EQ(presence->nick, "alice");
    EXPECT_EQ(presence->count, 0u);
    EXPECT_EQ(presence->reason, "");
}

// 1.1: a kicked member's leave carries the reason, in one more field.
TEST_F(Scripts, AKickedMembersLeaveCarriesItsReason) {
    join(a_, "bob");
    Subscriber sub(redis(), {"t:room:*"}, {});
    EXPECT_EQ(eval(redis(), a_.release({"r", "bob", "kicked"})), "1");
    const std::string payload = sub.next().payload;
    EXPECT_EQ(splitFields(payload)->size(), 8u);
    const auto presence = decodePresenceRecord(payload, "A");
    ASSERT_TRUE(presence);
    EXPECT_EQ(presence->event, "leave");
    EXPECT_EQ(presence->reason, "kicked");
}

TEST_F(Scripts, AResyncRegistersExactlyTheGivenMembersAndCatchesUp) {
    join(a_, "alice");
    join(a_, "bob", 2);
    join(b_, "dave", 3);
    publish(a_, "m1", 1);
    publish(b_, "m2", 1);
    publish(b_, "m3", 2);
    Subscriber sub(redis(), {"t:room:*"}, {a_.ownChannel()});
    ResyncRequest resync{"r", 9, {"alice", "carol"}, Position{"E1", 1}, false};
    EXPECT_EQ(eval(redis(), a_.resync(resync, "E9", "N1")), "0");
    // bob left, carol joined (marked as A's resync), then the sync point.
    auto leave = decodePresenceRecord(sub.next().payload, "A");
    EXPECT_EQ(leave->event, "leave");
    EXPECT_EQ(leave->nick, "bob");
    EXPECT_TRUE(leave->own_resync);
    auto joined = decodePresenceRecord(sub.next().payload, "A");
    EXPECT_EQ(joined->event, "join");
    EXPECT_EQ(joined->nick, "carol");
    const auto sync = decodeSyncRecord(sub.next().payload);
    ASSERT_TRUE(sync);
    EXPECT_EQ(sync->point.token, 9u);
    EXPECT_EQ(sync->point.position, (Position{"E1", 3}));
    ASSERT_EQ(sync->point.messages.size(), 2u);
    EXPECT_EQ(sync->point.messages[0].text, "m2");
    EXPECT_EQ(sync->point.messages[1].text, "m3");
    EXPECT_EQ(redis().command({"HLEN", "t:room:r:users"}), "3");  // alice, carol, dave
}

TEST_F(Scripts, AResyncKeepsANickAnotherLiveInstanceTook) {
    join(b_, "alice");
    EXPECT_EQ(eval(redis(), a_.resync({"r", 1, {"alice"}, std::nullopt, false}, "E1", "N1")), "1");
    EXPECT_EQ(redis().command({"HGET", "t:room:r:users", "alice"}), "B alice");
}

TEST_F(Scripts, AResyncAfterLocalMessagesMovesTheRoomToANewEpoch) {
    publish(a_, "m1", 1);
    Subscriber sub(redis(), {}, {a_.ownChannel()});
    eval(redis(), a_.resync({"r", 1, {}, Position{"E1", 1}, true}, "unused", "N1"));
    EXPECT_EQ(decodeSyncRecord(sub.next().payload)->point.position, (Position{"N1", 1}));
    EXPECT_EQ(publish(a_, "m2", 2), "2");  // numbering goes on under the new epoch
    EXPECT_EQ(redis().command({"HGET", "t:room:r:meta", "epoch"}), "N1");
    // Another instance coming back from the old epoch does not move it again.
    eval(redis(), b_.resync({"r", 2, {}, Position{"E1", 1}, true}, "unused", "N2"));
    EXPECT_EQ(redis().command({"HGET", "t:room:r:meta", "epoch"}), "N1");
}

TEST_F(Scripts, TheHeartbeatKeepsAliveRemovesTheDeadAndComesRound) {
    join(b_, "bob");
    redis().command({"ZADD", "t:instances", "1", "B"});  // B stopped beating long ago
    redis().command({"ZREM", "t:instances", "A"});
    Subscriber sub(redis(), {"t:room:*"}, {a_.ownChannel()});
    EXPECT_EQ(eval(redis(), a_.heartbeat()), "1");  // newly registered
    const auto leave = decodePresenceRecord(sub.next().payload, "A");
    ASSERT_TRUE(leave);
    EXPECT_EQ(leave->event, "leave");
    EXPECT_EQ(leave->nick, "bob");
    EXPECT_EQ(recordKind(sub.next().payload), 'H');
    EXPECT_EQ(redis().command({"HEXISTS", "t:room:r:users", "bob"}), "0");
    EXPECT_EQ(redis().command({"ZSCORE", "t:instances", "B"}), "(nil)");
    EXPECT_EQ(redis().command({"EXISTS", "t:instance:B:rooms"}), "0");
    const long expiry = std::stol(redis().command({"ZSCORE", "t:instances", "A"}));
    EXPECT_GT(expiry, 1'600'000'000'000);
    EXPECT_EQ(eval(redis(), a_.heartbeat()), "0");
}

TEST_F(Scripts, GoodbyeTakesTheInstancesMembersOut) {
    join(a_, "alice");
    join(b_, "bob", 2);
    eval(redis(), a_.goodbye());
    EXPECT_EQ(redis().command({"HKEYS", "t:room:r:users"}), "bob");
    EXPECT_EQ(redis().command({"ZSCORE", "t:instances", "A"}), "(nil)");
}

TEST_F(Scripts, RoomsListsTheRoomsOfLiveInstancesWithTheirLiveMembers) {
    joinRoom(a_, "r", "alice");
    joinRoom(b_, "r", "bob");
    joinRoom(b_, "s", "carol");
    deadMember("r", "dan");
    deadMember("gone", "erin");  // only a dead instance's member: not listed
    joinRoom(b_, "left", "frank");
    eval(redis(), b_.release({"left", "frank", ""}));  // registered, now empty: not listed
    const auto rooms = pairs(eval(redis(), a_.rooms()));
    EXPECT_EQ(rooms, (std::map<std::string, std::string>{{"r", "2"}, {"s", "1"}}));
}

TEST_F(Scripts, WhoListsTheMembersOfLiveInstancesWithTheirInstance) {
    joinRoom(a_, "r", "alice");
    joinRoom(b_, "r", "Bob");
    joinRoom(b_, "s", "carol");
    deadMember("r", "dan");
    EXPECT_EQ(pairs(eval(redis(), a_.who("r"))), (std::map<std::string, std::string>{{"alice", "A"}, {"Bob", "B"}}));
    EXPECT_EQ(eval(redis(), a_.who("nowhere")), "");
}

TEST_F(Scripts, DisconnectNickTellsOnlyTheOtherLiveInstancesHoldingIt) {
    joinRoom(a_, "r", "alice");
    joinRoom(b_, "s", "Bob");
    deadMember("r", "dan");
    Subscriber sub(redis(), {}, {a_.ownChannel(), b_.ownChannel(), "t:instance:C"});
    EXPECT_EQ(eval(redis(), a_.disconnectNick("BOB", "bye now")), "1");  // folded as claims fold
    const auto told = sub.next();
    EXPECT_EQ(told.channel, "t:instance:B");
    const auto record = decodeDisconnectRecord(told.payload);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->nick, "BOB");
    EXPECT_EQ(record->reason, "bye now");
    EXPECT_TRUE(sub.nothingMore());
    EXPECT_EQ(eval(redis(), a_.disconnectNick("alice", "")), "0");  // A's own: A closes it itself
    EXPECT_EQ(eval(redis(), a_.disconnectNick("dan", "")), "0");    // a dead instance's
    EXPECT_EQ(eval(redis(), a_.disconnectNick("nobody", "")), "0");
    EXPECT_EQ(eval(redis(), b_.disconnectNick("alice", "x")), "1");
    EXPECT_EQ(sub.next().channel, "t:instance:A");
    EXPECT_TRUE(sub.nothingMore());
}

}  // namespace
}  // namespace chatd::bus
