// HubShard with shared ordering, over the fake bus: what the shards ask the
// bus (claims, publishes, releases) and what members receive from what the
// bus reports (welcomes at sync points, messages in the bus' order, presence
// of members on another instance).
#include <gtest/gtest.h>

#include <algorithm>

#include "chat_requests.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

using Nicks = std::vector<std::string>;
using Seqs = std::vector<std::uint64_t>;

Nicks sorted(Nicks nicks) {
    std::sort(nicks.begin(), nicks.end());
    return nicks;
}

TEST(HubShardShared, AJoinClaimsItsNickAndIsWelcomedAtItsSyncPoint) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    bus.remotePost("r", "bob", "before 1");
    bus.remotePost("r", "bob", "before 2");
    const bus::Position at = *bus.position("r");

    auto alice = shared.core().connect();
    json::Value welcome = joinAs(*alice, "r", "alice");
    EXPECT_EQ(str(welcome, "epoch"), at.epoch);
    EXPECT_EQ(uint(welcome, "seq"), at.seq);
    EXPECT_EQ(sorted(usersOf(welcome)), (Nicks{"alice", "bob"}));
    EXPECT_EQ(historySeqs(welcome), (Seqs{1, 2}));
    EXPECT_FALSE(recovered(welcome));
    expectPresence(*alice, "join", "alice", 2u);

    const auto claims = requestsOf<bus::ClaimRequest>(bus);
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].room, "r");
    EXPECT_EQ(claims[0].nick, "alice");
    EXPECT_EQ(claims[0].old_nick, "");
    EXPECT_TRUE(claims[0].sync);
    EXPECT_FALSE(claims[0].since);
    EXPECT_EQ(claims[0].recent, coreTestSettings().history_size);
    EXPECT_TRUE(claims[0].users);
}

TEST(HubShardShared, AResumingJoinIsRecoveredWhenTheBusStillHoldsEverythingAfterIt) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    for (int i = 1; i <= 4; ++i) bus.remotePost("r", "bob", "m" + std::to_string(i));
    const std::string epoch = bus.position("r")->epoch;
    auto alice = shared.core().connect();
    alice->sendText(joinRequest("r", "alice", std::make_pair(epoch, 2)));
    json::Value welcome = nextOfType(*alice, "welcome");
    EXPECT_TRUE(recovered(welcome));
    EXPECT_EQ(historySeqs(welcome), (Seqs{3, 4}));
    const auto claims = requestsOf<bus::ClaimRequest>(bus);
    ASSERT_EQ(claims.size(), 1u);
    EXPECT_EQ(claims[0].since, (bus::Position{epoch, 2}));
}

// A raw client never gets a welcome: its claim asks for neither.
TEST(HubShardShared, ARawJoinAsksForNeitherUsersNorHistory) {
    SharedCore shared;
    auto raw = shared.core().connect(chat::Mode::Raw);
    auto claim = waitForRequestOf<bus::ClaimRequest>(shared.bus(), [](const auto&) { return true; });
    ASSERT_TRUE(claim);
    EXPECT_EQ(claim->room, "lobby");
    EXPECT_TRUE(claim->nick.starts_with("guest-"));
    EXPECT_TRUE(claim->sync);
    EXPECT_EQ(claim->recent, 0u);
    EXPECT_FALSE(claim->users);
}

// Two members here and one on instance B post; the bus decides the order
// and everyone here gets exactly that order, each message once.
TEST(HubShardShared, MessagesArePublishedAndDeliveredInTheBusOrderOnce) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect(chat::Mode::Json, 0);
    joinAs(*alice, "r", "alice");
    auto carol = shared.core().connect(chat::Mode::Json, 1);
    joinAs(*carol, "r", "carol");
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    const std::string epoch = bus.position("r")->epoch;

    bus.hold();
    alice->sendText(messageRequest("a1", "id-a1"));
    auto published = waitForRequestOf<bus::PublishRequest>(bus, [](const auto& p) { return p.text == "a1"; });
    ASSERT_TRUE(published);
    EXPECT_EQ(published->room, "r");
    EXPECT_EQ(published->from, "alice");
    EXPECT_EQ(published->id, std::optional<std::string>("id-a1"));
    bus.remotePost("r", "bob", "b1");
    carol->sendText(messageRequest("c1"));
    ASSERT_TRUE(waitForRequestOf<bus::PublishRequest>(bus, [](const auto& p) { return p.text == "c1"; }));
    bus.flush();

    const std::vector<std::string> expected{"1 alice a1", "2 bob b1", "3 carol c1"};
    for (WsClient* member : {alice.get(), carol.get()}) {
        std::vector<std::string> seen;
        while (seen.size() < expected.size()) {
            json::Value frame = member->receiveJson();
            if (str(frame, "type") != "message") continue;
            EXPECT_EQ(str(frame, "epoch"), epoch);
            seen.push_back(std::to_string(uint(frame, "seq")) + " " + str(frame, "from") + " " + str(frame, "text"));
        }
        EXPECT_EQ(seen, expected);
    }
    EXPECT_EQ(requestsOf<bus::PublishRequest>(bus).size(), 2u);
}

// A message at or below the last seq delivered here (a late or repeated
// copy) is dropped: members never see the order go backwards.
TEST(HubShardShared, LateOrRepeatedMessagesAreDropped) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    bus.hold();
    bus.remotePost("r", "bob", "m1");
    bus.remotePost("r", "bob", "m2");
    const bus::MessageRecord third = bus.remotePost("r", "bob", "m3");
    bus.reorderHeld({1, 0, 2});
    bus.flush();
    bus.inject("r", bus::RemoteMessage{third});
    bus.remotePost("r", "bob", "m4");
    Seqs seqs;
    while (seqs.size() < 3) seqs.push_back(uint(nextOfType(*alice, "message"), "seq"));
    EXPECT_EQ(seqs, (Seqs{2, 3, 4}));
}

TEST(HubShardShared, ANickHeldOnAnotherInstanceIsTakenForJoinsAndRenames) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    auto other = shared.core().connect();
    other->sendText(joinRequest("r", "BOB", {}, "j1"));
    expectError(*other, "nick_taken", "j1");

    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    alice->sendText(nickRequest("Bob", "n1"));
    expectError(*alice, "nick_taken", "n1");
    alice->sendText(messageRequest("still alice"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "from"), "alice");
}

TEST(HubShardShared, ARenameIsClaimedThenAnnouncedByTheBus) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    alice->sendText(nickRequest("alicia"));
    EXPECT_EQ(str(expectPresence(*alice, "nick", "alicia", 2u), "old_nick"), "alice");
    auto claim = waitForRequestOf<bus::ClaimRequest>(bus, [](const auto& c) { return c.nick == "alicia"; });
    ASSERT_TRUE(claim);
    EXPECT_FALSE(claim->sync);
    EXPECT_EQ(claim->old_nick, "alice");
    alice->sendText(messageRequest("hi"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "from"), "alicia");
}

// A join of the room the client is in, under another nick: claimed as a
// rename (the old nick given), welcomed at its sync point, announced by the bus.
TEST(HubShardShared, JoiningTheSameRoomUnderANewNickIsClaimedAsARename) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    alice->sendText(joinRequest("r", "alicia"));
    json::Value welcome = nextOfType(*alice, "welcome");
    EXPECT_EQ(str(welcome, "nick"), "alicia");
    EXPECT_EQ(usersOf(welcome), Nicks{"alicia"});
    EXPECT_EQ(str(expectPresence(*alice, "nick", "alicia", 1u), "old_nick"), "alice");
    auto claim = waitForRequestOf<bus::ClaimRequest>(bus, [](const auto& c) { return c.nick == "alicia"; });
    ASSERT_TRUE(claim);
    EXPECT_TRUE(claim->sync);
    EXPECT_EQ(claim->old_nick, "alice");
}

// Every instance counts guest-1, guest-2...: a guest nick held elsewhere is
// claimed again under another.
TEST(HubShardShared, AGuestNickTakenElsewhereIsReplacedByAnother) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "guest-1"));
    auto client = shared.core().connect();
    json::Value welcome = joinAs(*client, "r");
    const std::string nick = str(welcome, "nick");
    EXPECT_TRUE(nick.starts_with("guest-")) << nick;
    EXPECT_NE(nick, "guest-1");
    const auto claims = requestsOf<bus::ClaimRequest>(bus);
    ASSERT_EQ(claims.size(), 2u);
    EXPECT_EQ(claims[0].nick, "guest-1");
    EXPECT_EQ(claims[1].nick, nick);
}

TEST(HubShardShared, MembersOfAnotherInstanceAreAnnouncedButNotOurOwnResync) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    expectPresence(*alice, "join", "bob", 2u);
    bus.inject("r", bus::RemotePresence{"join", "alice", "", 2, true, ""});  // this instance re-registering
    bus.remoteRename("r", "bob", "robert");
    json::Value renamed = nextOfType(*alice, "presence");
    EXPECT_EQ(str(renamed, "event"), "nick");
    EXPECT_EQ(str(renamed, "nick"), "robert");
    EXPECT_EQ(str(renamed, "old_nick"), "bob");
    bus.remoteLeave("r", "robert");
    expectPresence(*alice, "leave", "robert", 1u);
}

TEST(HubShardShared, AMemberThatClosesIsReleasedOnTheBus) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    auto bob = shared.core().connect();
    joinAs(*bob, "r", "bob");
    nextOfType(*alice, "presence");
    bob.reset();
    expectPresence(*alice, "leave", "bob", 1u);
    const auto releases = requestsOf<bus::ReleaseRequest>(bus);
    ASSERT_EQ(releases.size(), 1u);
    EXPECT_EQ(releases[0].room, "r");
    EXPECT_EQ(releases[0].nick, "bob");
}

// A message sent before the join is granted waits for the sync point: it is
// published after it, so it never precedes the sender's own welcome.
TEST(HubShardShared, AMessageSentWhileJoiningIsPublishedOnceTheJoinIsGranted) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    bus.hold();
    auto carol = shared.core().connect();
    carol->sendText(joinRequest("r", "carol"));
    carol->sendText(messageRequest("early", "e1"));
    ASSERT_TRUE(eventually([&] { return shared.core().messagesTaken() == 1; }));
    EXPECT_TRUE(requestsOf<bus::PublishRequest>(bus).empty());
    bus.flush();
    auto published = waitForRequestOf<bus::PublishRequest>(bus, [](const auto& p) { return p.text == "early"; });
    ASSERT_TRUE(published);
    EXPECT_EQ(published->from, "carol");
    EXPECT_EQ(published->id, std::optional<std::string>("e1"));
    EXPECT_EQ(str(nextOfType(*carol, "welcome"), "nick"), "carol");
    nextOfType(*carol, "presence");
    json::Value message = nextOfType(*carol, "message");
    EXPECT_EQ(str(message, "text"), "early");
    EXPECT_EQ(uint(message, "seq"), 1u);
}

// The join is refused on the bus (B holds the nick): the message that waited
// for it is answered as sent to a room the client is not in.
TEST(HubShardShared, AMessageWaitingForARefusedJoinIsAnsweredNotInRoom) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "Carol"));
    bus.hold();
    auto carol = shared.core().connect();
    carol->sendText(joinRequest("r", "carol", {}, "j1"));
    carol->sendText(messageRequest("early", "e1"));
    ASSERT_TRUE(eventually([&] { return shared.core().messagesTaken() == 1; }));
    bus.flush();
    expectError(*carol, "nick_taken", "j1");
    expectError(*carol, "bad_request", "e1");
    EXPECT_TRUE(requestsOf<bus::PublishRequest>(bus).empty());
}

}  // namespace
}  // namespace chatd::testing
