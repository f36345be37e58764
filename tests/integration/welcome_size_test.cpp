// A welcome is one frame and must fit the joiner's send queue
// (limits.send_queue_bytes), whatever the room's history holds: a hostile
// history of control characters (each escaped to six bytes in JSON) must
// not get every joining JSON client closed as a slow consumer.
#include <gtest/gtest.h>

#include "json/json_reader.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

constexpr std::size_t kQueueBytes = 1'048'576;  // the default limits.send_queue_bytes
constexpr std::uint64_t kMessages = 100;        // the default chat.history_size

// A message of 4096 U+0001 characters: 4 KiB of text, ~24 KiB as JSON.
std::string hostileMessage() {
    std::string request = R"({"type":"message","text":")";
    for (int i = 0; i < 4096; ++i) request += "\\u0001";
    return request + R"("})";
}

// Fills room "r" with kMessages hostile messages and returns the room's epoch.
std::string fillHistory(TestServer& server) {
    json::Value welcome;
    auto sender = joinedClient(server.port(), "mallory", "r", {}, &welcome);
    const std::string epoch = str(welcome, "epoch");
    const std::string request = hostileMessage();
    for (std::uint64_t sent = 0; sent < kMessages; sent += 10) {
        for (int i = 0; i < 10; ++i) sender->sendText(request);
        for (int i = 0; i < 10; ++i) sender->waitFor("message");  // read the acks: no slow consumer here
    }
    return epoch;
}

struct Joined {
    std::unique_ptr<WsClient> client;
    json::Value welcome;
    std::size_t welcome_bytes = 0;
};

Joined joinWith(TestServer& server, const std::string& join) {
    Joined joined;
    joined.client = WsClient::connect(server.port());
    joined.client->sendText(join);
    for (;;) {
        auto frame = joined.client->receive();
        if (!frame) throw std::runtime_error("no welcome");
        if (frame->opcode == ws::Opcode::Close) throw std::runtime_error("closed instead of welcomed: " + frame->close_reason);
        if (frame->payload.find(R"("type":"welcome")") == std::string::npos) continue;
        joined.welcome_bytes = frame->payload.size();
        std::string error;
        auto parsed = json::parse(frame->payload, error);
        if (!parsed) throw std::runtime_error("welcome is not JSON: " + error);
        joined.welcome = std::move(*parsed);
        return joined;
    }
}

std::vector<std::uint64_t> historySeqs(const json::Value& welcome) {
    std::vector<std::uint64_t> seqs;
    for (const auto& message : *welcome.find("history")->asArray()) seqs.push_back(uint(message, "seq"));
    return seqs;
}

// The newest messages, consecutive, ending with the room's last one (`last`).
void expectNewestConsecutive(const std::vector<std::uint64_t>& seqs, std::uint64_t last) {
    ASSERT_FALSE(seqs.empty());
    EXPECT_EQ(seqs.back(), last);
    for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1);
}

TEST(WelcomeSize, HostileHistoryIsCutToFitTheJoinersQueue) {
    TestServer server;
    const std::string epoch = fillHistory(server);

    Joined plain = joinWith(server, R"({"type":"join","room":"r","nick":"newcomer"})");
    EXPECT_LE(plain.welcome_bytes, kQueueBytes / 2);
    const auto seqs = historySeqs(plain.welcome);
    expectNewestConsecutive(seqs, kMessages);
    EXPECT_LT(seqs.size(), kMessages) << "the whole history cannot fit";
    EXPECT_FALSE(*plain.welcome.find("recovered")->asBool());
    EXPECT_EQ(uint(plain.welcome, "seq"), kMessages);
    // Still connected and in the room.
    plain.client->sendText(R"({"type":"message","text":"hello","id":"ok"})");
    EXPECT_EQ(str(plain.client->waitFor("message"), "id"), "ok");

    // `since` asking for more than fits: the newest that fit, not recovered.
    // (The newcomer's "hello" is seq 101.)
    Joined resumed = joinWith(server, R"({"type":"join","room":"r","nick":"old","since":{"epoch":")" + epoch +
                                          R"(","seq":0}})");
    EXPECT_LE(resumed.welcome_bytes, kQueueBytes / 2);
    EXPECT_FALSE(*resumed.welcome.find("recovered")->asBool());
    expectNewestConsecutive(historySeqs(resumed.welcome), kMessages + 1);  // + "hello"

    // `since` asking for what fits is still fully recovered.
    Joined recent = joinWith(server, R"({"type":"join","room":"r","nick":"recent","since":{"epoch":")" + epoch +
                                         R"(","seq":98}})");
    EXPECT_TRUE(*recent.welcome.find("recovered")->asBool());
    EXPECT_EQ(historySeqs(recent.welcome), (std::vector<std::uint64_t>{99, 100, 101}));
}

TEST(WelcomeSize, SmallQueueStillWelcomesWithTheFullUserList) {
    TestServer server([](config::Config& config) { config.limits.send_queue_bytes = 64 * 1024; });
    auto sender = joinedClient(server.port(), "sender");
    const std::string request = hostileMessage();  // ~24 KiB each: two fill half the queue
    for (int i = 0; i < 5; ++i) {
        sender->sendText(request);
        sender->waitFor("message");
    }
    Joined joined = joinWith(server, R"({"type":"join","room":"r","nick":"newcomer"})");
    EXPECT_LE(joined.welcome_bytes, 32u * 1024);
    EXPECT_EQ(joined.welcome.find("users")->asArray()->size(), 2u);
    EXPECT_EQ(historySeqs(joined.welcome), std::vector<std::uint64_t>{5});
}

}  // namespace
}  // namespace chatd::testing
