// Presence in both regimes with real sessions (ChatCore): rooms of at most
// chat.presence_max_members (3 here) announce each event, bigger ones send
// `batch`es; crossing the threshold keeps the order; the welcome lists at
// most chat.welcome_users nicks and the `users` request pages the rest.
#include <gtest/gtest.h>

#include <set>

#include "chat_core.h"
#include "chat_requests.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;
using Nicks = std::vector<std::string>;

ChatCore::Options options(std::chrono::milliseconds interval, std::size_t welcome_users = 200) {
    ChatCore::Options options;
    options.settings.presence_max_members = 3;
    options.settings.presence_interval = interval;
    options.settings.welcome_users = welcome_users;
    return options;
}

Nicks nicksIn(const json::Value& frame, const std::string& field) {
    Nicks out;
    if (const json::Value* list = frame.find(field); list && list->asArray())
        for (const json::Value& nick : *list->asArray())
            if (nick.asString()) out.push_back(*nick.asString());
    return out;
}

json::Value expectBatch(WsClient& client) {
    json::Value batch = nextOfType(client, "presence");
    EXPECT_EQ(str(batch, "event"), "batch");
    return batch;
}

std::string usersRequest(const std::optional<std::string>& after, std::optional<std::size_t> limit,
                         const std::string& id = {}) {
    std::string out = R"({"type":"users")";
    if (after) out += R"(,"after":")" + *after + '"';
    if (limit) out += R"(,"limit":)" + std::to_string(*limit);
    if (!id.empty()) out += R"(,"id":")" + id + '"';
    return out + '}';
}

// Three members: a room exactly at the threshold.
struct ThreeMembers {
    explicit ThreeMembers(ChatCore::Options options) : core(std::move(options)) {
        a = core.connect();
        b = core.connect();
        c = core.connect();
        enter(*a, "r", "a");
        enterSeenBy(*b, "r", "b", {a.get()});
        enterSeenBy(*c, "r", "c", {a.get(), b.get()});
    }
    std::vector<WsClient*> all() { return {a.get(), b.get(), c.get()}; }
    ChatCore core;
    std::unique_ptr<WsClient> a, b, c;
};

TEST(PresenceRegimes, ARoomExactlyAtTheThresholdAnnouncesEachEvent) {
    ThreeMembers room(options(30s));
    room.c->sendText(nickRequest("cy"));
    for (WsClient* member : room.all()) {
        json::Value nick = expectPresence(*member, "nick", "cy", 3);
        EXPECT_EQ(str(nick, "old_nick"), "c");
    }
    room.c.reset();
    expectPresence(*room.a, "leave", "cy", 2);
    expectPresence(*room.b, "leave", "cy", 2);
}

TEST(PresenceRegimes, ABiggerRoomGetsItsJoinsAsOneBatchPerInterval) {
    ThreeMembers room(options(200ms));
    auto d = room.core.connect();
    auto e = room.core.connect();
    json::Value welcome = joinAs(*d, "r", "d");
    EXPECT_EQ(uint(welcome, "count"), 4u);
    joinAs(*e, "r", "e");
    // Every member hears of d and e in batches only (one or two, by timing).
    for (WsClient* member : {room.a.get(), room.b.get(), room.c.get(), d.get()}) {
        std::set<std::string> joined;
        std::uint64_t count = 0;
        while (count != 5) {
            json::Value batch = expectBatch(*member);
            for (const std::string& nick : nicksIn(batch, "joined")) joined.insert(nick);
            EXPECT_EQ(uint(batch, "joined_count"), nicksIn(batch, "joined").size());
            EXPECT_TRUE(nicksIn(batch, "left").empty());
            count = uint(batch, "count");
            if (::testing::Test::HasFailure()) return;
        }
        EXPECT_EQ(joined, (std::set<std::string>{"d", "e"}));
    }
}

TEST(PresenceRegimes, ABatchWaitingWhenTheRoomShrinksGoesOutFirst) {
    // A long interval: only the room going back to 3 members sends the batch.
    ThreeMembers room(options(30s));
    auto d = room.core.connect();
    auto e = room.core.connect();
    joinAs(*d, "r", "d");
    joinAs(*e, "r", "e");
    e.reset();  // joined and left within one interval: listed in both
    // e's leave must be in before d's: wait until the room counts 4 again
    // (polled within the users request's rate limit).
    ASSERT_TRUE(eventually(
        [&] {
            d->sendText(usersRequest(std::nullopt, 10));
            json::Value answer = d->receiveJson();  // the page, or rate_limited
            return str(answer, "type") == "users" && uint(answer, "count") == 4;
        },
        20s));
    d.reset();  // 3 members again: the batch, then d's own leave
    for (WsClient* member : room.all()) {
        json::Value batch = expectBatch(*member);
        EXPECT_EQ(nicksIn(batch, "joined"), (Nicks{"d", "e"}));
        EXPECT_EQ(nicksIn(batch, "left"), (Nicks{"e"}));
        EXPECT_EQ(uint(batch, "joined_count"), 2u);
        EXPECT_EQ(uint(batch, "left_count"), 1u);
        EXPECT_EQ(uint(batch, "count"), 4u);
        json::Value leave = expectPresence(*member, "leave", "d", 3);
        EXPECT_EQ(leave.find("reason"), nullptr);
    }
}

TEST(PresenceRegimes, ARenameInABigRoomIsBatchedButItsSubjectHearsAtOnce) {
    ThreeMembers room(options(30s));
    auto d = room.core.connect();
    joinAs(*d, "r", "d");
    d->sendText(nickRequest("dora"));
    json::Value own = expectPresence(*d, "nick", "dora", 4);  // at once, to d alone
    EXPECT_EQ(str(own, "old_nick"), "d");
    room.c.reset();  // back to 3: the batch goes out, then c's leave
    for (WsClient* member : {room.a.get(), room.b.get(), d.get()}) {
        json::Value batch = expectBatch(*member);
        EXPECT_EQ(nicksIn(batch, "joined"), (Nicks{"dora"}));  // a joiner under its last nick
        const json::Value* renamed = batch.find("renamed");
        ASSERT_TRUE(renamed && renamed->asArray());
        ASSERT_EQ(renamed->asArray()->size(), 1u);
        EXPECT_EQ(str((*renamed->asArray())[0], "old_nick"), "d");
        EXPECT_EQ(str((*renamed->asArray())[0], "nick"), "dora");
        expectPresence(*member, "leave", "c", 3);
    }
}

TEST(PresenceRegimes, CrossingTheThresholdBothWaysWhileMembersComeAndGo) {
    ThreeMembers room(options(100ms));
    // Up and down several times: every member's view, applied event by
    // event and batch by batch, ends with the room's members.
    std::set<std::string> view{"a", "b", "c"};
    const auto apply = [&view](const json::Value& frame) {
        const std::string event = str(frame, "event");
        if (event == "join") view.insert(str(frame, "nick"));
        if (event == "leave") view.erase(str(frame, "nick"));
        if (event == "batch") {
            for (const std::string& nick : nicksIn(frame, "joined")) view.insert(nick);
            for (const std::string& nick : nicksIn(frame, "left")) view.erase(nick);
        }
        return uint(frame, "count");
    };
    for (int round = 0; round < 3; ++round) {
        auto d = room.core.connect();
        auto e = room.core.connect();
        joinAs(*d, "r", "d");
        joinAs(*e, "r", "e");
        while (apply(nextOfType(*room.a, "presence")) != 5) {
        }
        d.reset();
        e.reset();
        std::uint64_t count = 0;
        while (count != 3) count = apply(nextOfType(*room.a, "presence"));
        EXPECT_EQ(view, (std::set<std::string>{"a", "b", "c"})) << "round " << round;
    }
}

TEST(PresenceRegimes, AWelcomeListsAtMostWelcomeUsersNicksTheJoinersFirst) {
    ThreeMembers room(options(30s, 2));
    auto d = room.core.connect();
    json::Value welcome = joinAs(*d, "r", "d");
    EXPECT_EQ(usersOf(welcome), (Nicks{"d", "a"}));
    EXPECT_EQ(uint(welcome, "count"), 4u);
    EXPECT_FALSE(flag(welcome, "users_complete"));
    ChatCore::Options roomy = options(30s, 3);
    ChatCore core(std::move(roomy));
    auto x = core.connect();
    json::Value alone = joinAs(*x, "r", "x");
    EXPECT_EQ(usersOf(alone), (Nicks{"x"}));
    EXPECT_EQ(uint(alone, "count"), 1u);
    EXPECT_TRUE(flag(alone, "users_complete"));
}

TEST(PresenceRegimes, TheUsersRequestPagesThroughTheMembers) {
    ThreeMembers room(options(30s, 2));
    room.a->sendText(usersRequest(std::nullopt, 2, "u1"));
    json::Value first = nextOfType(*room.a, "users");
    EXPECT_EQ(nicksIn(first, "users"), (Nicks{"a", "b"}));
    EXPECT_EQ(str(first, "next"), "b");
    EXPECT_EQ(str(first, "id"), "u1");
    EXPECT_EQ(str(first, "room"), "r");
    EXPECT_EQ(uint(first, "count"), 3u);
    room.a->sendText(usersRequest("b", 2));
    json::Value last = nextOfType(*room.a, "users");
    EXPECT_EQ(nicksIn(last, "users"), (Nicks{"c"}));
    EXPECT_EQ(last.find("next"), nullptr);
    room.a->sendText(usersRequest("bb", std::nullopt));  // not a member: the nicks after it
    EXPECT_EQ(nicksIn(nextOfType(*room.a, "users"), "users"), (Nicks{"c"}));
    room.a->sendText(usersRequest(std::nullopt, 3));  // an exact multiple: no next
    json::Value whole = nextOfType(*room.a, "users");
    EXPECT_EQ(nicksIn(whole, "users").size(), 3u);
    EXPECT_EQ(whole.find("next"), nullptr);
    room.a->sendText(usersRequest(std::nullopt, 1001, "big"));
    expectError(*room.a, "bad_request", "big");
}

TEST(PresenceRegimes, ASharedRoomBatchesByTheBusCountAndPagesTheMembersItKnows) {
    SharedCore shared(options(30s, 2));
    FakeBus& bus = shared.bus();
    for (const char* nick : {"bob", "carol", "dave"}) ASSERT_TRUE(bus.remoteJoin("r", nick));
    auto alice = shared.core().connect();
    json::Value welcome = joinAs(*alice, "r", "alice");  // the 4th: her own join is batched
    EXPECT_EQ(usersOf(welcome), (Nicks{"alice", "bob"}));
    EXPECT_EQ(uint(welcome, "count"), 4u);
    EXPECT_FALSE(flag(welcome, "users_complete"));
    bus.remoteLeave("r", "dave");  // back to 3: the waiting batch, then the leave
    json::Value batch = expectBatch(*alice);
    EXPECT_EQ(nicksIn(batch, "joined"), (Nicks{"alice"}));
    EXPECT_EQ(uint(batch, "count"), 4u);
    expectPresence(*alice, "leave", "dave", 3);
    ASSERT_TRUE(bus.remoteJoin("r", "erin"));
    bus.remoteRename("r", "carol", "cy");
    ASSERT_TRUE(eventually(
        [&] {
            alice->sendText(usersRequest(std::nullopt, 10));
            json::Value answer = alice->receiveJson();  // the page, or rate_limited
            return str(answer, "type") == "users" && nicksIn(answer, "users") == Nicks{"alice", "bob", "cy", "erin"} &&
                   uint(answer, "count") == 4;
        },
        20s));
    // Redis out of reach: the others' presence is missed, so only the local members are paged.
    bus.dropLink();
    ASSERT_TRUE(eventually(
        [&] {
            alice->sendText(usersRequest(std::nullopt, 10));
            json::Value answer = alice->receiveJson();
            return str(answer, "type") == "users" && nicksIn(answer, "users") == Nicks{"alice"} &&
                   uint(answer, "count") == 1;
        },
        20s));
}

TEST(PresenceRegimes, TheUsersRequestNeedsARoom) {
    ChatCore core(options(30s));
    auto client = core.connect();
    client->sendText(usersRequest(std::nullopt, std::nullopt, "u"));
    expectError(*client, "bad_request", "u");
}

}  // namespace
}  // namespace chatd::testing
