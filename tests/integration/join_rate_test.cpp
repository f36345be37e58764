// `join` and `nick` requests cost work in proportion to the room (a welcome
// rebuilt, a presence event to every member): each connection gets a token
// bucket for them (chat.join_nick_per_second / chat.join_nick_burst, by
// default 5 per second after a burst of 10); over it: error rate_limited.
// And the requests that change nothing cost nothing for the others.
#include <gtest/gtest.h>

#include <thread>

#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

constexpr int kBurst = 10;      // the default chat.join_nick_burst
constexpr int kRequests = 30;   // sent at once: far beyond the burst

std::unique_ptr<WsClient> joined(TestServer& server, const std::string& room, const std::string& nick) {
    return joinedClient(server.port(), nick, room);
}

struct Answers {
    int accepted = 0;      // frames of `accepted_type` (with `nick_prefix`) before the marker
    int rate_limited = 0;  // errors rate_limited, each with its request's id
};

// Sends a marker message after the requests and reads up to its ack,
// counting what answered the requests (ids r0, r1...) on the way.
Answers countAnswersUpToMarker(WsClient& client, const std::string& accepted_type,
                               const std::string& nick_prefix = {}) {
    client.sendText(R"({"type":"message","text":"marker","id":"marker"})");
    Answers answers;
    for (;;) {
        json::Value frame = client.receiveJson();
        const std::string type = str(frame, "type");
        if (type == "message" && str(frame, "id") == "marker") return answers;
        if (type == "error") {
            EXPECT_EQ(str(frame, "code"), "rate_limited") << str(frame, "reason");
            EXPECT_EQ(str(frame, "id").rfind("r", 0), 0u) << "the error names the refused request";
            ++answers.rate_limited;
        } else if (type == accepted_type && (nick_prefix.empty() || str(frame, "nick").rfind(nick_prefix, 0) == 0)) {
            ++answers.accepted;
        }
    }
}

TEST(JoinRate, JoinsBeyondTheBurstAreRateLimitedThenAllowedAgain) {
    TestServer server;
    auto client = joined(server, "r", "alice");  // one token taken
    for (int i = 0; i < kRequests; ++i)
        client->sendText(R"({"type":"join","room":"r)" + std::to_string(i % 2) + R"(","id":"r)" + std::to_string(i) +
                         R"("})");
    // (Welcomes are not counted: of joins sent back to back only the last
    // one's welcome is sent.) A token may come back while they arrive.
    const Answers answers = countAnswersUpToMarker(*client, "welcome");
    EXPECT_GE(answers.rate_limited, kRequests - kBurst - 2);
    EXPECT_LE(answers.rate_limited, kRequests - kBurst + 1);
    // The bucket refills: a join goes through again within a second or so.
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    bool welcomed = false;
    while (!welcomed && std::chrono::steady_clock::now() < deadline) {
        client->sendText(R"({"type":"join","room":"later","id":"later"})");
        json::Value answer = client->receiveJson();
        while (str(answer, "type") != "welcome" && str(answer, "type") != "error") answer = client->receiveJson();
        welcomed = str(answer, "type") == "welcome";
        if (!welcomed) std::this_thread::sleep_for(50ms);  // poll interval
    }
    EXPECT_TRUE(welcomed);
}

TEST(JoinRate, NickChangesBeyondTheBurstAreRateLimited) {
    TestServer server;
    auto client = joined(server, "r", "alice");
    client->waitForPresence("join", "alice");
    auto watcher = joined(server, "r", "watcher");
    watcher->waitForPresence("join", "watcher");
    client->waitForPresence("join", "watcher");
    for (int i = 0; i < kRequests; ++i)
        client->sendText(R"({"type":"nick","nick":"n)" + std::to_string(i) + R"(","id":"r)" + std::to_string(i) +
                         R"("})");
    const Answers answers = countAnswersUpToMarker(*client, "presence", "n");
    EXPECT_LE(answers.accepted, kBurst + 1);
    EXPECT_GE(answers.rate_limited, kRequests - kBurst - 2);
    EXPECT_EQ(answers.accepted + answers.rate_limited, kRequests);
    // The watcher heard only the renames that went through.
    int renames = 0;
    for (;;) {
        json::Value frame = watcher->receiveJson();
        if (str(frame, "type") == "message") break;
        if (str(frame, "type") == "presence" && str(frame, "event") == "nick") ++renames;
    }
    EXPECT_EQ(renames, answers.accepted);
}

TEST(JoinRate, JoinToTheSameRoomAndTheSameNickTellNobodyElse) {
    TestServer server;
    auto alice = joined(server, "r", "alice");
    auto watcher = joined(server, "r", "watcher");
    watcher->waitForPresence("join", "watcher");
    alice->waitForPresence("join", "watcher");
    alice->sendText(R"({"type":"join","room":"r","id":"again"})");  // the room it is in, its own nick
    json::Value welcome = alice->waitFor("welcome");
    EXPECT_EQ(str(welcome, "room"), "r");
    EXPECT_EQ(str(welcome, "nick"), "alice");
    alice->sendText(R"({"type":"nick","nick":"alice","id":"same"})");
    // The watcher's next frame is the marker message: no presence came before it.
    alice->sendText(R"({"type":"message","text":"marker"})");
    json::Value next = watcher->receiveJson();
    EXPECT_EQ(str(next, "type"), "message") << "got " << str(next, "type") << " " << str(next, "event");
    // And alice got nothing for the nick request either: next is her marker.
    json::Value own = alice->receiveJson();
    EXPECT_EQ(str(own, "type"), "message");
}

TEST(JoinRate, TheLimitComesFromTheChatSection) {
    TestServer small([](config::Config& config) { config.chat.join_nick_burst = 3; });
    auto client = joined(small, "r", "alice");  // one of the three
    for (int i = 0; i < kRequests; ++i)
        client->sendText(R"({"type":"nick","nick":"n)" + std::to_string(i) + R"(","id":"r)" + std::to_string(i) + R"("})");
    const Answers limited = countAnswersUpToMarker(*client, "presence", "n");
    EXPECT_LE(limited.accepted, 3);
    EXPECT_GE(limited.rate_limited, kRequests - 3);

    TestServer unlimited([](config::Config& config) { config.chat.join_nick_per_second = 0; });
    auto free_client = joined(unlimited, "r", "alice");
    for (int i = 0; i < kRequests; ++i)
        free_client->sendText(R"({"type":"nick","nick":"n)" + std::to_string(i) + R"(","id":"r)" + std::to_string(i) +
                              R"("})");
    const Answers all = countAnswersUpToMarker(*free_client, "presence", "n");
    EXPECT_EQ(all.accepted, kRequests);
    EXPECT_EQ(all.rate_limited, 0);
}

}  // namespace
}  // namespace chatd::testing
