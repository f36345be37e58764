// Session: what a client's requests become and what it is sent back. The
// join serial rules (the last join a client sent decides its room, whatever
// order the answers come in), the default room, the nick before a join, the
// requests a session answers itself, and raw mode.
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "fake_bus.h"

namespace chatd::testing {
namespace {

// In A, `join B` then `join A` in one write: the client ends in A, never sees
// a welcome of B, and B's members see it come and go.
TEST(SessionJoins, AwayAndBackInOneWriteEndsInTheRoomNamedLast) {
    ChatCore core;
    // One loop for everyone: B's broadcasts would reach Carol before A's later ones.
    auto a_member = core.connect(chat::Mode::Json, 0);
    enter(*a_member, "A", "alice");
    auto b_member = core.connect(chat::Mode::Json, 0);
    enter(*b_member, "B", "bob");
    auto carol = core.connect(chat::Mode::Json, 0);
    enterSeenBy(*carol, "A", "carol", {a_member.get()});

    sendInOneWrite(*carol, {joinRequest("B"), joinRequest("A")});
    json::Value welcome = nextOfType(*carol, "welcome");
    EXPECT_EQ(str(welcome, "room"), "A");
    EXPECT_EQ(str(welcome, "nick"), "carol");
    json::Value came = nextOfType(*b_member, "presence");
    EXPECT_EQ(str(came, "event"), "join");
    EXPECT_EQ(str(came, "nick"), "carol");
    expectPresence(*b_member, "leave", "carol", 1u);

    // Carol hears A, not B: B's message is broadcast first, A's after it.
    b_member->sendText(messageRequest("in B"));
    nextOfType(*b_member, "message");
    a_member->sendText(messageRequest("in A"));
    json::Value heard = nextOfType(*carol, "message");
    EXPECT_EQ(str(heard, "room"), "A");
    EXPECT_EQ(str(heard, "text"), "in A");
}

TEST(SessionJoins, AJoinToAnotherRoomMovesTheClientThere) {
    ChatCore core;
    auto a_member = core.connect();
    enter(*a_member, "A", "alice");
    auto carol = core.connect();
    enterSeenBy(*carol, "A", "carol", {a_member.get()});
    carol->sendText(joinRequest("B"));
    json::Value welcome = nextOfType(*carol, "welcome");
    EXPECT_EQ(str(welcome, "room"), "B");
    EXPECT_EQ(str(welcome, "nick"), "carol");
    json::Value left = nextOfType(*a_member, "presence");
    EXPECT_EQ(str(left, "event"), "leave");
    EXPECT_EQ(str(left, "nick"), "carol");
}

// The same rule when the answers' order is chosen: in a shared room the
// answer to a join is its sync point, which the fake bus holds and releases.
class SessionJoinAnswers : public ::testing::TestWithParam<bool> {};

TEST_P(SessionJoinAnswers, TheLastJoinSentDecidesWhicheverAnswerComesFirst) {
    const bool last_answered_first = GetParam();
    auto owned = std::make_unique<FakeBus>();
    FakeBus& bus = *owned;
    ChatCore::Options options;
    options.bus = std::move(owned);
    ChatCore core(std::move(options));
    auto dave = core.connect();
    enter(*dave, "A", "dave");
    auto carol = core.connect();
    enterSeenBy(*carol, "A", "carol", {dave.get()});

    bus.hold();
    sendInOneWrite(*carol, {joinRequest("B"), joinRequest("A")});
    // B's sync point and presence, A's sync point (carol joins A again under her nick: no presence).
    ASSERT_TRUE(bus.waitHeld(3));
    const auto held = bus.held();
    ASSERT_EQ(held.size(), 3u);
    auto syncOf = [&](const std::string& room) {
        for (std::size_t i = 0; i < held.size(); ++i)
            if (held[i].room == room && std::holds_alternative<bus::SyncPoint>(held[i].event)) return i;
        ADD_FAILURE() << "no sync point for " << room;
        return std::size_t{0};
    };
    auto released_from_b = [&bus] {
        return bus.waitForRequest([](const bus::Request& request) {
            const auto* release = std::get_if<bus::ReleaseRequest>(&request);
            return release && release->room == "B" && release->nick == "carol";
        });
    };
    json::Value welcome;
    if (last_answered_first) {
        bus.releaseOne(syncOf("A"));
        welcome = nextOfType(*carol, "welcome");  // the session has the answer to its last join
        bus.flush();
        EXPECT_TRUE(released_from_b()) << "carol was never taken out of B";
    } else {
        bus.releaseOne(syncOf("B"));
        EXPECT_TRUE(released_from_b()) << "carol was never taken out of B";  // the session has B's answer
        bus.flush();
        welcome = nextOfType(*carol, "welcome");
    }
    EXPECT_EQ(str(welcome, "room"), "A");
    EXPECT_EQ(str(welcome, "nick"), "carol");
    dave->sendText(messageRequest("in A"));
    json::Value heard = nextOfType(*carol, "message");
    EXPECT_EQ(str(heard, "room"), "A");
    EXPECT_EQ(str(heard, "text"), "in A");
}

INSTANTIATE_TEST_SUITE_P(Orders, SessionJoinAnswers, ::testing::Bool(),
                         [](const auto& test) { return test.param ? "LastAnsweredFirst" : "LastAnsweredLast"; });

TEST(SessionRequests, AMessageBeforeAnyJoinJoinsTheDefaultRoomAsAGuest) {
    ChatCore core;
    auto client = core.connect();
    client->sendText(messageRequest("first", "m1"));
    json::Value welcome = nextOfType(*client, "welcome");
    EXPECT_EQ(str(welcome, "room"), "lobby");
    EXPECT_TRUE(str(welcome, "nick").starts_with("guest-"));
    nextOfType(*client, "presence");
    json::Value own = nextOfType(*client, "message");
    EXPECT_EQ(str(own, "text"), "first");
    EXPECT_EQ(str(own, "id"), "m1");
    EXPECT_EQ(str(own, "from"), str(welcome, "nick"));
}

TEST(SessionRequests, ANickSetBeforeJoiningIsTheNickOfTheJoin) {
    ChatCore core;
    auto client = core.connect();
    client->sendText(nickRequest("zoe"));
    client->sendText(joinRequest("r"));
    EXPECT_EQ(str(nextOfType(*client, "welcome"), "nick"), "zoe");
}

TEST(SessionRequests, WhatTheSessionRefusesItselfIsAnsweredWithAnError) {
    ChatCore::Options options;
    options.settings.max_text_bytes = 8;
    options.settings.join_nick_per_second = 1;
    options.settings.join_nick_burst = 1;
    ChatCore core(std::move(options));
    auto client = core.connect();
    client->sendText("not json");
    EXPECT_EQ(str(nextOfType(*client, "error"), "code"), "bad_request");
    client->sendBinary("{}");
    EXPECT_EQ(str(nextOfType(*client, "error"), "code"), "bad_request");
    client->sendText(messageRequest("longer than eight", "big"));
    expectError(*client, "too_large", "big");
    enter(*client, "r", "zoe");
    client->sendText(nickRequest("zed", "n1"));  // the one token of the burst went to the join
    expectError(*client, "rate_limited", "n1");
}

// A raw client is in the default room from the start, under a guest nick,
// and sends and receives bare text; JSON members see it as any member.
TEST(SessionRaw, ARawClientChatsWithJsonMembersInTheDefaultRoom) {
    ChatCore core;
    auto json_member = core.connect();
    enter(*json_member, "lobby", "alice");
    auto raw = core.connect(chat::Mode::Raw);
    json::Value joined = nextOfType(*json_member, "presence");
    EXPECT_EQ(str(joined, "event"), "join");
    const std::string raw_nick = str(joined, "nick");
    EXPECT_TRUE(raw_nick.starts_with("guest-")) << raw_nick;

    raw->sendText("hello from raw");
    json::Value message = nextOfType(*json_member, "message");
    EXPECT_EQ(str(message, "from"), raw_nick);
    EXPECT_EQ(str(message, "text"), "hello from raw");
    EXPECT_EQ(uint(message, "seq"), 1u);

    json_member->sendText(messageRequest("hello raw"));
    auto own = raw->receive();
    ASSERT_TRUE(own);
    EXPECT_EQ(own->payload, "hello from raw");  // its own message first, bare
    auto frame = raw->receive();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->opcode, ws::Opcode::Binary);
    EXPECT_EQ(frame->payload, "hello raw");
}

}  // namespace
}  // namespace chatd::testing
