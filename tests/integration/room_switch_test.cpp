// Joins sent back to back (one TCP write): the last join a client sent
// decides its room, and the hub's membership agrees with where the session
// receives messages: it can post there, it is listed in `users`, its nick is
// held there and nowhere else. Run with one hub shard and with several (the
// rooms of one burst then live on different shard threads).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "test_server.h"
#include "ws/frame_encoder.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

std::string joinRequest(const std::string& room, const std::string& id) {
    return R"({"type":"join","room":")" + room + R"(","id":")" + id + R"("})";
}

std::unique_ptr<WsClient> joined(TestServer& server, const std::string& room, const std::string& nick) {
    return joinedClient(server.port(), nick, room);
}

// Sends one join per room, all in a single write.
void sendJoinsInOneWrite(WsClient& client, const std::vector<std::string>& rooms) {
    std::string bytes;
    for (std::size_t i = 0; i < rooms.size(); ++i)
        ws::appendClientFrame(bytes, static_cast<std::uint8_t>(ws::Opcode::Text),
                              joinRequest(rooms[i], "j" + std::to_string(i)));
    client.sendBytes(bytes);
}

// Skips frames until the welcome into `room`; fails on any error frame.
json::Value waitForWelcomeInto(WsClient& client, const std::string& room) {
    for (;;) {
        json::Value frame = client.receiveJson();
        const std::string type = str(frame, "type");
        if (type == "error") ADD_FAILURE() << "error during the joins: " << str(frame, "code") << " " << str(frame, "reason");
        if (type == "welcome" && str(frame, "room") == room) return frame;
    }
}

// Posts `text` with id `id` and returns the sender's copy; an error fails.
json::Value postAndAck(WsClient& client, const std::string& text, const std::string& id) {
    client.sendText(R"({"type":"message","text":")" + text + R"(","id":")" + id + R"("})");
    for (;;) {
        json::Value frame = client.receiveJson();
        const std::string type = str(frame, "type");
        if (type == "error") {
            ADD_FAILURE() << "message refused: " << str(frame, "code") << " " << str(frame, "reason");
            return frame;
        }
        if (type == "message" && str(frame, "id") == id) return frame;
    }
}

std::vector<std::string> usersOf(const json::Value& welcome) {
    std::vector<std::string> users;
    for (const auto& user : *welcome.find("users")->asArray()) users.push_back(*user.asString());
    return users;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether `nick` is listed in `room` by a fresh client's welcome.
bool listedIn(TestServer& server, const std::string& room, const std::string& nick) {
    auto probe = WsClient::connect(server.port());
    probe->sendText(R"({"type":"join","room":")" + room + R"("})");
    return contains(usersOf(probe->waitFor("welcome")), nick);
}

// Stale memberships are given back when their answers arrive, which with
// several shards may be after the last welcome: poll (bounded) until `nick`
// is gone from `room`.
bool eventuallyNotListedIn(TestServer& server, const std::string& room, const std::string& nick) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!listedIn(server, room, nick)) return true;
        std::this_thread::sleep_for(20ms);  // poll interval, not a wait for an outcome
    }
    return false;
}

class RoomSwitch : public ::testing::TestWithParam<unsigned> {
protected:
    TestServer server_{[](config::Config& config) { config.threads.hub = GetParam(); }};
};

TEST_P(RoomSwitch, JoinAwayAndBackInOneWriteLeavesTheClientInItsFirstRoom) {
    // Several room pairs: with several shards some pairs share a shard, some do not.
    for (const std::string other : {"b1", "b2", "b3", "b4"}) {
        const std::string home = "home-" + other;
        auto alice = joined(server_, home, "alice");
        auto watcher = joined(server_, home, "watcher");
        sendJoinsInOneWrite(*alice, {other, home});
        waitForWelcomeInto(*alice, home);

        const json::Value ack = postAndAck(*alice, "back home", "m1");
        EXPECT_EQ(str(ack, "room"), home);
        // The watcher sees alice's message, and never saw her leave.
        for (;;) {
            json::Value frame = watcher->receiveJson();
            if (str(frame, "type") == "presence" && str(frame, "nick") == "alice") {
                EXPECT_NE(str(frame, "event"), "leave") << "alice was taken out of " << home;
            }
            if (str(frame, "type") == "message") {
                EXPECT_EQ(str(frame, "id"), "m1");
                break;
            }
        }
        EXPECT_TRUE(listedIn(server_, home, "alice")) << home;
        // Her nick is still hers in `home`.
        auto impostor = WsClient::connect(server_.port());
        impostor->sendText(R"({"type":"join","room":")" + home + R"(","nick":"alice"})");
        EXPECT_EQ(str(impostor->waitFor("error"), "code"), "nick_taken");
        EXPECT_TRUE(eventuallyNotListedIn(server_, other, "alice")) << other;
    }
}

TEST_P(RoomSwitch, RapidAlternatingJoinsEndInTheLastRoomNamed) {
    const std::vector<std::vector<std::string>> bursts = {
        {"x", "y", "x", "y"}, {"y", "x", "y", "x"}, {"x", "y", "x"}, {"y", "x"}, {"x", "x", "y", "y"}};
    int round = 0;
    for (const auto& burst : bursts) {
        const std::string x = "x" + std::to_string(round);
        const std::string y = "y" + std::to_string(round);
        ++round;
        std::vector<std::string> rooms;
        for (const std::string& name : burst) rooms.push_back(name == "x" ? x : y);
        const std::string last = rooms.back();
        const std::string other = last == x ? y : x;

        auto alice = joined(server_, x, "alice");
        auto watcher = joined(server_, last, "watcher");
        sendJoinsInOneWrite(*alice, rooms);
        waitForWelcomeInto(*alice, last);
        EXPECT_EQ(str(postAndAck(*alice, "where am I", "m"), "room"), last);
        EXPECT_EQ(str(watcher->waitFor("message"), "id"), "m");
        EXPECT_TRUE(listedIn(server_, last, "alice")) << last;
        EXPECT_TRUE(eventuallyNotListedIn(server_, other, "alice")) << other;
        // Her messages keep going to `last` only.
        EXPECT_EQ(str(postAndAck(*alice, "still here", "m2"), "room"), last);
    }
}

INSTANTIATE_TEST_SUITE_P(HubThreads, RoomSwitch, ::testing::Values(1u, 4u),
                         [](const auto& test) { return "hub" + std::to_string(test.param); });

}  // namespace
}  // namespace chatd::testing
