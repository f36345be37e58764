// What plugins and the operator do to rooms through the hub (PostCommand,
// KickCommand, Session::disconnect and the leave of a ban's close) and the
// session directory kept in step with joins, renames, kicks and closes:
// checked frame by frame at the clients, with local rooms, a message store
// and a shared room (fake bus).
#include <gtest/gtest.h>

#include "chat/session.h"
#include "chat_core.h"
#include "chat_requests.h"
#include "fake_store.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

std::uint64_t sessionOf(const json::Value& welcome) { return std::stoull(str(welcome, "session")); }

chat::PostCommand post(const std::string& room, const std::string& text, const std::string& from = "announce",
                       chat::PostOrigin origin = chat::PostOrigin::Plugin) {
    return chat::PostCommand{.room = room, .from = from, .text = text, .origin = origin, .plugin = "announce"};
}

chat::KickCommand kick(std::uint64_t session, const std::string& room, const std::string& reason = "spam") {
    return chat::KickCommand{.session_id = session, .room = room, .reason = reason, .by = "admin"};
}

// The directory's entry of `session` once `check` holds for it.
bool directoryShows(chat::Hub& hub, std::uint64_t session,
                    const std::function<bool(const std::optional<chat::SessionEntry>&)>& check) {
    return eventually([&] { return check(hub.directory().find(session)); });
}

TEST(HubPost, APostIsNumberedAndDeliveredWithItsOriginLikeAMessage) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto raw = core.connect(chat::Mode::Raw);  // raw clients live in the default room
    ASSERT_TRUE(eventually([&] { return core.hub().directory().members("lobby").size() == 1; }));
    auto bob = core.connect();
    enter(*bob, "lobby", "bob");

    alice->sendText(messageRequest("hi"));
    EXPECT_EQ(uint(nextOfType(*alice, "message"), "seq"), 1u);
    core.hub().submit(post("r", "hello room"));
    json::Value posted = nextOfType(*alice, "message");
    EXPECT_EQ(uint(posted, "seq"), 2u);
    EXPECT_EQ(str(posted, "from"), "announce");
    EXPECT_EQ(str(posted, "text"), "hello room");
    EXPECT_EQ(str(posted, "origin"), "plugin");

    // The poster's name is nobody's nick: a member may hold it, the post still goes out.
    core.hub().submit(post("lobby", "from the operator", "bob", chat::PostOrigin::Admin));
    json::Value admin = nextOfType(*bob, "message");
    EXPECT_EQ(str(admin, "origin"), "admin");
    EXPECT_EQ(str(admin, "from"), "bob");
    // A raw member sees it marked, never as a member's bare text.
    const std::optional<Frame> line = raw->receive();
    ASSERT_TRUE(line);
    EXPECT_EQ(line->payload, "[admin] bob: from the operator");

    // A member's message never carries an origin.
    alice->sendText(messageRequest("after"));
    EXPECT_EQ(nextOfType(*alice, "message").find("origin"), nullptr);
}

TEST(HubPost, APostWithABadNameOrTextIsDropped) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    core.hub().submit(post("r", "x", "has space"));
    core.hub().submit(post("r", "x", std::string(33, 'a')));
    core.hub().submit(post("r", ""));
    core.hub().submit(post("r", "bad \xFF"));
    core.hub().submit(post("r", "good"));
    json::Value message = nextOfType(*alice, "message");
    EXPECT_EQ(str(message, "text"), "good");
    EXPECT_EQ(uint(message, "seq"), 1u);
}

// A room with no member here is opened for the post: a later joiner finds
// it in the welcome's history; with a store it is kept there too.
TEST(HubPost, APostIntoARoomWithoutMembersIsKeptInItsHistory) {
    FakeStore store;
    ChatCore::Options options;
    options.store = &store;
    ChatCore core(std::move(options));
    core.hub().submit(post("quiet", "for later"));
    ASSERT_TRUE(eventually([&] { return store.keptSeqs("quiet") == std::vector<std::uint64_t>{1}; }));
    auto alice = core.connect();
    json::Value welcome = joinAs(*alice, "quiet", "alice");
    ASSERT_EQ(historySeqs(welcome), (std::vector<std::uint64_t>{1}));
    const json::Value& first = (*welcome.find("history")->asArray())[0];
    EXPECT_EQ(str(first, "origin"), "plugin");
    EXPECT_EQ(str(first, "text"), "for later");
    EXPECT_EQ(core.hub().roomCount(), 1u);
}

TEST(HubKick, TheMemberIsToldTheRoomSeesAKickedLeaveAndAJoinWorksAgain) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    auto bob = core.connect();
    const std::uint64_t bob_id = sessionOf(enterSeenBy(*bob, "r", "bob", {alice.get()}));

    core.hub().submit(kick(bob_id, "r", "flooding"));
    json::Value kicked = nextOfType(*bob, "kicked");
    EXPECT_EQ(str(kicked, "room"), "r");
    EXPECT_EQ(str(kicked, "reason"), "flooding");
    EXPECT_EQ(str(kicked, "by"), "admin");
    EXPECT_EQ(str(expectPresence(*alice, "leave", "bob", 1u), "reason"), "kicked");

    // In no room now: a message or a history request is refused until it joins again.
    bob->sendText(historyRequest(std::nullopt, std::nullopt, "h1"));
    expectError(*bob, "bad_request", "h1");
    bob->sendText(messageRequest("let me in", "m1"));
    expectError(*bob, "bad_request", "m1");
    json::Value back = enter(*bob, "r", "bob");
    EXPECT_EQ(str(back, "room"), "r");
    expectPresence(*alice, "join", "bob", 2u);
    bob->sendText(messageRequest("back"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "text"), "back");
}

TEST(HubKick, AKickOfANonMemberOrOfAnotherRoomDoesNothing) {
    ChatCore core;
    auto alice = core.connect();
    const std::uint64_t alice_id = sessionOf(enter(*alice, "r", "alice"));
    core.hub().submit(kick(alice_id, "elsewhere"));
    core.hub().submit(kick(alice_id + (1u << chat::kLoopIndexBits), "r"));  // no such session
    core.hub().submit(post("r", "still here"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "text"), "still here");
}

TEST(HubKick, AKickedRawClientGetsALineAndRejoinsWhenItSpeaks) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "lobby", "alice");
    auto raw = core.connect(chat::Mode::Raw);
    const std::string raw_nick = str(nextOfType(*alice, "presence"), "nick");
    std::optional<std::uint64_t> raw_id;
    ASSERT_TRUE(eventually([&] { return (raw_id = core.hub().directory().findNick("lobby", raw_nick)).has_value(); }));
    core.hub().submit(kick(*raw_id, "lobby", "rude"));
    auto line = raw->receive();
    ASSERT_TRUE(line);
    EXPECT_EQ(line->payload, "[kicked] removed from lobby by admin: rude");
    EXPECT_EQ(str(expectPresence(*alice, "leave", raw_nick, 1u), "reason"), "kicked");
    raw->sendText("sorry");
    EXPECT_EQ(str(nextOfType(*alice, "presence"), "event"), "join");
    EXPECT_EQ(str(nextOfType(*alice, "message"), "text"), "sorry");
}

TEST(HubDirectory, FollowsJoinRenameKickAndClose) {
    ChatCore core;
    auto alice = core.connect();
    const std::uint64_t id = sessionOf(enter(*alice, "r", "alice"));
    ASSERT_TRUE(directoryShows(core.hub(), id, [](const auto& entry) {
        return entry && entry->room == "r" && entry->nick == "alice";
    }));
    const auto entry = core.hub().directory().find(id);
    EXPECT_EQ(entry->session, std::to_string(id));
    EXPECT_EQ(entry->mode, chat::Mode::Json);
    EXPECT_EQ(entry->address, "test-peer");
    EXPECT_GT(entry->connected_ms, 0);
    EXPECT_EQ(core.hub().directory().findNick("r", "ALICE"), id);

    alice->sendText(nickRequest("alicia"));
    nextOfType(*alice, "presence");
    EXPECT_TRUE(directoryShows(core.hub(), id, [](const auto& e) { return e && e->nick == "alicia"; }));
    enter(*alice, "s", "alicia");
    EXPECT_TRUE(directoryShows(core.hub(), id, [](const auto& e) { return e && e->room == "s"; }));
    EXPECT_TRUE(core.hub().directory().members("r").empty());

    core.hub().submit(kick(id, "s"));
    nextOfType(*alice, "kicked");
    EXPECT_TRUE(directoryShows(core.hub(), id, [](const auto& e) { return e && e->room.empty(); }));
    EXPECT_TRUE(core.hub().directory().rooms().empty());

    alice.reset();
    EXPECT_TRUE(directoryShows(core.hub(), id, [](const auto& e) { return !e; }));
}

TEST(HubSession, DisconnectClosesWithTheCodeGiven) {
    ChatCore core;
    auto alice = core.connect();
    const std::uint64_t id = sessionOf(enter(*alice, "r", "alice"));
    core.hub().withSession(id, [](chat::Session& session) { session.disconnect(4000, "operator says bye"); });
    EXPECT_EQ(alice->waitClosed(), std::optional<std::uint16_t>(4000));
    EXPECT_TRUE(eventually([&] { return core.connectionCount() == 0; }));
}

// A ban's close (4003) shows the room a leave with reason "banned"; an
// operator's (4000) and a client's own close, whatever its code, a plain leave.
TEST(HubSession, ABansCloseLeavesAsBannedOtherClosesPlainly) {
    ChatCore core;
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    const auto closeBy = [&](const std::string& nick, std::uint16_t code) {
        auto member = core.connect();
        const std::uint64_t id = sessionOf(enterSeenBy(*member, "r", nick, {alice.get()}));
        core.hub().withSession(id, [code](chat::Session& session) { session.disconnect(code, "bye"); });
        EXPECT_EQ(member->waitClosed(), std::optional<std::uint16_t>(code));
        return expectPresence(*alice, "leave", nick, 1u);
    };
    EXPECT_EQ(str(closeBy("bob", chat::Session::kBannedClose), "reason"), "banned");
    EXPECT_EQ(closeBy("carol", 4000).find("reason"), nullptr);

    auto dave = core.connect();
    enterSeenBy(*dave, "r", "dave", {alice.get()});
    dave->sendClose(chat::Session::kBannedClose);  // a client cannot pass itself off as banned
    EXPECT_EQ(expectPresence(*alice, "leave", "dave", 1u).find("reason"), nullptr);
}

// A shared room: the post goes through the bus with its origin and comes
// back like any message; a kick's and a ban's leave go to Redis with their reason.
TEST(HubShared, APostAndAKickGoThroughTheBus) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    auto bob = shared.core().connect();
    const std::uint64_t bob_id = sessionOf(enterSeenBy(*bob, "r", "bob", {alice.get()}));

    shared.core().hub().submit(post("r", "shared hello"));
    json::Value message = nextOfType(*alice, "message");
    EXPECT_EQ(str(message, "origin"), "plugin");
    EXPECT_EQ(str(message, "from"), "announce");
    const auto published = requestsOf<bus::PublishRequest>(bus);
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0].origin, "plugin");

    EXPECT_EQ(str(nextOfType(*bob, "message"), "origin"), "plugin");
    shared.core().hub().submit(kick(bob_id, "r"));
    nextOfType(*bob, "kicked");
    EXPECT_EQ(str(expectPresence(*alice, "leave", "bob", 1u), "reason"), "kicked");
    EXPECT_EQ(requestsOf<bus::ReleaseRequest>(bus).back().reason, "kicked");

    // A ban's close: the leave goes to Redis as "banned" (the other instances show it so).
    auto erin = shared.core().connect();
    const std::uint64_t erin_id = sessionOf(enterSeenBy(*erin, "r", "erin", {alice.get()}));
    shared.core().hub().withSession(erin_id, [](chat::Session& s) { s.disconnect(chat::Session::kBannedClose, "x"); });
    EXPECT_EQ(str(expectPresence(*alice, "leave", "erin", 1u), "reason"), "banned");
    EXPECT_TRUE(waitForRequestOf<bus::ReleaseRequest>(
        bus, [](const auto& r) { return r.nick == "erin" && r.reason == "banned"; }));

    // A kick by nick: a member here at once; a nick held elsewhere goes to
    // Redis, and the instance holding it (here: a kick reported by the bus) acts.
    auto carol = shared.core().connect();
    enterSeenBy(*carol, "r", "carol", {alice.get()});
    shared.core().hub().submit(chat::KickNickCommand{.room = "r", .nick = "CAROL", .reason = "local", .by = "admin"});
    EXPECT_EQ(str(nextOfType(*carol, "kicked"), "reason"), "local");
    EXPECT_TRUE(requestsOf<bus::KickRequest>(bus).empty());
    nextOfType(*alice, "presence");
    ASSERT_TRUE(bus.remoteJoin("r", "dave"));
    expectPresence(*alice, "join", "dave", 2u);
    shared.core().hub().submit(chat::KickNickCommand{.room = "r", .nick = "dave", .reason = "remote", .by = "admin"});
    const auto sent = waitForRequestOf<bus::KickRequest>(bus, [](const auto& r) { return r.nick == "dave"; });
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->reason, "remote");
    bus.inject("r", bus::RemoteKick{"alice", "from B", "admin"});
    EXPECT_EQ(str(nextOfType(*alice, "kicked"), "reason"), "from B");

    // A post into a room nobody here is in goes to Redis all the same.
    shared.core().hub().submit(post("empty", "for the others"));
    EXPECT_TRUE(waitForRequestOf<bus::PublishRequest>(bus, [](const auto& r) { return r.room == "empty"; }));
    EXPECT_TRUE(eventually([&] { return bus.position("empty") && bus.position("empty")->seq == 1u; }));
}

}  // namespace
}  // namespace chatd::testing
