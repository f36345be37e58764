// Chat semantics of docs/protocol.md against the real server (in-process, port 0)
// through real WebSocket clients: rooms, welcome, presence, nicks, errors.
#include <gtest/gtest.h>

#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

std::unique_ptr<WsClient> joined(TestServer& server, const std::string& room, const std::string& nick,
                                 json::Value* welcome = nullptr) {
    return joinedClient(server.port(), nick, room, {}, welcome);
}

std::vector<std::string> stringList(const json::Value& object, std::string_view field) {
    std::vector<std::string> out;
    for (const auto& item : *object.find(field)->asArray()) out.push_back(*item.asString());
    return out;
}

TEST(Chat, WelcomeCarriesSessionNickRoomEpochSeqUsersHistory) {
    TestServer server;
    json::Value welcome;
    auto alice = joined(server, "lobby", "alice", &welcome);
    EXPECT_EQ(str(welcome, "nick"), "alice");
    EXPECT_EQ(str(welcome, "room"), "lobby");
    EXPECT_FALSE(str(welcome, "session").empty());
    EXPECT_FALSE(str(welcome, "epoch").empty());
    EXPECT_EQ(uint(welcome, "seq"), 0u);
    EXPECT_EQ(stringList(welcome, "users"), std::vector<std::string>{"alice"});
    EXPECT_TRUE(welcome.find("history")->asArray()->empty());
    EXPECT_FALSE(*welcome.find("recovered")->asBool());
    EXPECT_EQ(uint(welcome, "max_text_bytes"), 4096u);
}

TEST(Chat, MessageReachesEveryoneInTheRoomWithSeqAndIsAckedToTheSender) {
    TestServer server;
    auto alice = joined(server, "lobby", "alice");
    auto bob = joined(server, "lobby", "bob");
    auto carol = joined(server, "elsewhere", "carol");
    carol->waitForPresence("join", "carol");
    alice->sendText(R"({"type":"message","text":"hi all","id":"m1"})");
    for (WsClient* client : {alice.get(), bob.get()}) {
        json::Value message = client->waitFor("message");
        EXPECT_EQ(str(message, "text"), "hi all");
        EXPECT_EQ(str(message, "from"), "alice");
        EXPECT_EQ(str(message, "room"), "lobby");
        EXPECT_EQ(str(message, "id"), "m1");
        EXPECT_EQ(uint(message, "seq"), 1u);
        EXPECT_GT(uint(message, "ts"), 1'600'000'000'000u);
    }
    // The other room hears nothing: its next frame is its own message.
    carol->sendText(R"({"type":"message","text":"only here"})");
    json::Value own = carol->waitFor("message");
    EXPECT_EQ(str(own, "text"), "only here");
    EXPECT_EQ(uint(own, "seq"), 1u);
}

TEST(Chat, BroadcastToManyClientsKeepsOneOrder) {
    TestServer server;
    constexpr int kClients = 40;
    constexpr int kSenders = 4;
    constexpr int kPerSender = 25;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < kClients; ++i) clients.push_back(joined(server, "big", "user" + std::to_string(i)));
    for (int round = 0; round < kPerSender; ++round)
        for (int s = 0; s < kSenders; ++s)
            clients[s]->sendText(R"({"type":"message","text":"m)" + std::to_string(s) + "-" + std::to_string(round) +
                                 R"("})");
    std::vector<std::string> reference;
    for (int i = 0; i < kClients; ++i) {
        std::vector<std::string> seen;
        std::uint64_t expected_seq = 1;
        while (seen.size() < kSenders * kPerSender) {
            json::Value message = clients[i]->waitFor("message");
            EXPECT_EQ(uint(message, "seq"), expected_seq++);
            seen.push_back(str(message, "text"));
        }
        if (i == 0) reference = seen;
        EXPECT_EQ(seen, reference) << "client " << i << " saw another order";
    }
}

TEST(Chat, PresenceAnnouncesJoinLeaveAndNickWithCount) {
    TestServer server;
    auto alice = joined(server, "r", "alice");
    // Presence goes to everyone in the room, the subject included.
    json::Value presence = alice->waitFor("presence");
    EXPECT_EQ(str(presence, "event"), "join");
    EXPECT_EQ(str(presence, "nick"), "alice");
    EXPECT_EQ(uint(presence, "count"), 1u);
    auto bob = joined(server, "r", "bob");
    presence = alice->waitFor("presence");
    EXPECT_EQ(str(presence, "event"), "join");
    EXPECT_EQ(str(presence, "nick"), "bob");
    EXPECT_EQ(uint(presence, "count"), 2u);

    bob->sendText(R"({"type":"nick","nick":"robert"})");
    presence = alice->waitFor("presence");
    EXPECT_EQ(str(presence, "event"), "nick");
    EXPECT_EQ(str(presence, "nick"), "robert");
    EXPECT_EQ(str(presence, "old_nick"), "bob");
    EXPECT_EQ(str(bob->waitForPresence("nick", "robert"), "old_nick"), "bob");  // the renamed one hears it too

    bob.reset();  // TCP closes without a close frame
    presence = alice->waitFor("presence");
    EXPECT_EQ(str(presence, "event"), "leave");
    EXPECT_EQ(str(presence, "nick"), "robert");
    EXPECT_EQ(uint(presence, "count"), 1u);
}

TEST(Chat, NickIsUniquePerRoomCaseInsensitively) {
    TestServer server;
    auto alice = joined(server, "r", "Alice");
    auto other = WsClient::connect(server.port());
    other->sendText(R"({"type":"join","room":"r","nick":"aLiCe","id":"j1"})");
    json::Value error = other->waitFor("error");
    EXPECT_EQ(str(error, "code"), "nick_taken");
    EXPECT_EQ(str(error, "id"), "j1");
    // The same nick is fine in another room.
    other->sendText(R"({"type":"join","room":"s","nick":"alice"})");
    EXPECT_EQ(str(other->waitFor("welcome"), "nick"), "alice");
    // Renaming onto a taken nick fails too.
    auto bob = joined(server, "r", "bob");
    bob->sendText(R"({"type":"nick","nick":"ALICE","id":"n1"})");
    error = bob->waitFor("error");
    EXPECT_EQ(str(error, "code"), "nick_taken");
    EXPECT_EQ(str(error, "id"), "n1");
}

TEST(Chat, ServerPicksGuestNickAndMessageBeforeJoinJoinsDefaultRoom) {
    TestServer server;
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"message","text":"early bird"})");
    json::Value welcome = client->waitFor("welcome");
    EXPECT_EQ(str(welcome, "room"), "lobby");
    EXPECT_EQ(str(welcome, "nick").rfind("guest-", 0), 0u);
    json::Value message = client->waitFor("message");
    EXPECT_EQ(str(message, "text"), "early bird");
    EXPECT_EQ(str(message, "from"), str(welcome, "nick"));
}

TEST(Chat, JoinAgainSwitchesRooms) {
    TestServer server;
    auto alice = joined(server, "one", "alice");
    auto watcher = joined(server, "one", "watcher");
    alice->sendText(R"({"type":"join","room":"two"})");
    EXPECT_EQ(str(alice->waitFor("welcome"), "room"), "two");
    watcher->waitForPresence("leave", "alice");
    watcher->sendText(R"({"type":"message","text":"for room one"})");
    watcher->waitFor("message");
    alice->sendText(R"({"type":"message","text":"in two"})");
    json::Value message = alice->waitFor("message");  // not "for room one"
    EXPECT_EQ(str(message, "text"), "in two");
    EXPECT_EQ(str(message, "room"), "two");
}

TEST(Chat, EveryRequestErrorCode) {
    TestServer server;
    auto client = joined(server, "r", "alice");
    const std::pair<std::string, std::string> cases[] = {
        {"not json", "bad_request"},
        {R"({"type":"dance","id":"x"})", "bad_request"},
        {R"({"text":"no type"})", "bad_request"},
        {R"({"type":"message","text":42})", "bad_request"},
        {R"({"type":"join","nick":"bad nick!"})", "invalid_nick"},
        {R"({"type":"join","room":"bad room"})", "invalid_room"},
        {R"({"type":"nick","nick":""})", "invalid_nick"},
        {R"({"type":"message","text":")" + std::string(5000, 'x') + R"("})", "too_large"},
    };
    for (const auto& [frame, code] : cases) {
        client->sendText(frame);
        json::Value error = client->waitFor("error");
        EXPECT_EQ(str(error, "code"), code) << frame;
        EXPECT_FALSE(str(error, "reason").empty());
    }
    client->sendBinary(R"({"type":"message","text":"binary"})");
    EXPECT_EQ(str(client->waitFor("error"), "code"), "bad_request");
    // The connection stays open after every error.
    client->sendText(R"({"type":"message","text":"still here","id":"ok"})");
    EXPECT_EQ(str(client->waitFor("message"), "id"), "ok");
}

TEST(Chat, RawAndJsonClientsSeeEachOther) {
    TestServer server;
    auto json_client = joined(server, "lobby", "alice");
    WsOptions raw_options;
    raw_options.protocol = std::nullopt;
    raw_options.path = "/";  // the tutorial's page connects to ws://host/
    auto raw = WsClient::connect(server.port(), raw_options);
    json_client->waitForPresence("join", "alice");
    json::Value presence = json_client->waitFor("presence");
    const std::string raw_nick = str(presence, "nick");
    EXPECT_EQ(raw_nick.rfind("guest-", 0), 0u);

    raw->sendText("hello from the tutorial page");
    json::Value message = json_client->waitFor("message");
    EXPECT_EQ(str(message, "text"), "hello from the tutorial page");
    EXPECT_EQ(str(message, "from"), raw_nick);
    auto own = raw->receive();  // a raw client gets its own message back, as binary text
    ASSERT_TRUE(own);
    EXPECT_EQ(own->opcode, ws::Opcode::Binary);
    EXPECT_EQ(own->payload, "hello from the tutorial page");

    json_client->sendText(R"({"type":"message","text":"hello raw"})");
    EXPECT_EQ(str(json_client->waitFor("message"), "text"), "hello raw");  // its own ack
    auto frame = raw->receive();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->opcode, ws::Opcode::Binary);
    EXPECT_EQ(frame->payload, "hello raw");  // exactly the text: no JSON, no nick

    raw->sendBinary("binary but UTF-8 \xC3\xA9");
    EXPECT_EQ(str(json_client->waitFor("message"), "text"), "binary but UTF-8 \xC3\xA9");
}

// docs/protocol.md, raw mode: a rejected message is not broadcast, the reason is
// logged, and the client goes on chatting (it once got 1007 for a binary one).
TEST(Chat, ARawBinaryMessageThatIsNotUtf8IsDroppedAndTheClientStays) {
    TestServer server;
    auto json_client = WsClient::connect(server.port());
    json_client->sendText(R"({"type":"join"})");
    json_client->waitFor("welcome");
    WsOptions raw_options;
    raw_options.protocol = std::nullopt;
    auto raw = WsClient::connect(server.port(), raw_options);

    raw->sendBinary("not UTF-8 \xC0\xAF");
    raw->sendText("after it");
    EXPECT_EQ(str(json_client->waitFor("message"), "text"), "after it");  // the bad one never came
    auto own = raw->receive();
    ASSERT_TRUE(own);
    EXPECT_EQ(own->opcode, ws::Opcode::Binary);
    EXPECT_EQ(own->payload, "after it");
}

TEST(Chat, ResumeWithSinceGetsExactlyTheMissedMessages) {
    TestServer server;
    json::Value welcome;
    auto alice = joined(server, "r", "alice", &welcome);
    const std::string epoch = str(welcome, "epoch");
    auto bob = joined(server, "r", "bob");
    for (int i = 1; i <= 3; ++i) bob->sendText(R"({"type":"message","text":"before )" + std::to_string(i) + R"("})");
    std::uint64_t last_seen = 0;
    for (int i = 1; i <= 3; ++i) last_seen = uint(alice->waitFor("message"), "seq");
    for (int i = 1; i <= 3; ++i) bob->waitFor("message");  // bob's own copies, so the next three are 4..6
    alice.reset();  // alice goes away
    for (int i = 4; i <= 6; ++i) bob->sendText(R"({"type":"message","text":"missed )" + std::to_string(i) + R"("})");
    for (int i = 4; i <= 6; ++i) bob->waitFor("message");

    auto again = WsClient::connect(server.port());
    again->sendText(R"({"type":"join","room":"r","nick":"alice","since":{"epoch":")" + epoch + R"(","seq":)" +
                    std::to_string(last_seen) + "}}");
    json::Value resumed = again->waitFor("welcome");
    EXPECT_TRUE(*resumed.find("recovered")->asBool());
    EXPECT_EQ(uint(resumed, "seq"), 6u);
    const auto& history = *resumed.find("history")->asArray();
    ASSERT_EQ(history.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(uint(history[i], "seq"), 4 + i);
        EXPECT_EQ(str(history[i], "text"), "missed " + std::to_string(4 + i));
    }
    // Live messages continue right after the history: no gap, no duplicate.
    bob->sendText(R"({"type":"message","text":"live"})");
    json::Value live = again->waitFor("message");
    EXPECT_EQ(uint(live, "seq"), 7u);
}

TEST(Chat, ResumeFromAnotherEpochOrBeyondHistoryIsNotRecovered) {
    TestServer server([](config::Config& config) { config.chat.history_size = 2; });
    json::Value welcome;
    auto alice = joined(server, "r", "alice", &welcome);
    for (int i = 1; i <= 5; ++i) alice->sendText(R"({"type":"message","text":"m)" + std::to_string(i) + R"("})");
    for (int i = 1; i <= 5; ++i) alice->waitFor("message");

    auto other = WsClient::connect(server.port());
    other->sendText(R"({"type":"join","room":"r","since":{"epoch":"not-this-one","seq":1}})");
    json::Value stale = other->waitFor("welcome");
    EXPECT_FALSE(*stale.find("recovered")->asBool());
    ASSERT_EQ(stale.find("history")->asArray()->size(), 2u);  // the most recent ones
    EXPECT_EQ(uint((*stale.find("history")->asArray())[0], "seq"), 4u);

    other->sendText(R"({"type":"join","room":"r","since":{"epoch":")" + str(welcome, "epoch") + R"(","seq":1}})");
    json::Value gap = other->waitFor("welcome");
    EXPECT_FALSE(*gap.find("recovered")->asBool()) << "messages 2..3 are no longer held";
}

}  // namespace
}  // namespace chatd::testing
