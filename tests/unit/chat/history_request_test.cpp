// The `history` request: a member pages back through its room's messages,
// from the room's own history (local ordering) or from the bus' log (a
// shared room), each answer cut to fit half the send queue.
#include <gtest/gtest.h>

#include <functional>

#include "chat_requests.h"
#include "json/json_reader.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

using Seqs = std::vector<std::uint64_t>;

// Sends `count` messages of `text` (default: m1, m2...) from `writer` and waits for their echoes.
void post(WsClient& writer, int count, const std::string& text = {}) {
    for (int i = 1; i <= count; ++i) writer.sendText(messageRequest(text.empty() ? "m" + std::to_string(i) : text));
    for (int i = 1; i <= count; ++i) nextOfType(writer, "message");
}

// A core with `settings` changed, and alice in room r.
struct AliceInRoom {
    explicit AliceInRoom(const std::function<void(chat::ChatSettings&)>& settings) : core(options(settings)) {
        alice = core.connect();
        enter(*alice, "r", "alice");
    }
    static ChatCore::Options options(const std::function<void(chat::ChatSettings&)>& settings) {
        ChatCore::Options options;
        settings(options.settings);
        return options;
    }
    ChatCore core;
    std::unique_ptr<WsClient> alice;
};

json::Value ask(WsClient& client, std::optional<std::uint64_t> before, std::optional<std::size_t> limit,
                const std::string& id = {}) {
    client.sendText(historyRequest(before, limit, id));
    return nextOfType(client, "history");
}

TEST(HistoryRequest, PagesBackToTheBeginningOfTheRoom) {
    ChatCore core;
    auto alice = core.connect();
    const std::string epoch = str(enter(*alice, "r", "alice"), "epoch");
    post(*alice, 7);

    json::Value newest = ask(*alice, std::nullopt, 3, "h1");
    EXPECT_EQ(str(newest, "room"), "r");
    EXPECT_EQ(str(newest, "epoch"), epoch);
    EXPECT_EQ(str(newest, "id"), "h1");
    EXPECT_EQ(seqsIn(newest, "messages"), (Seqs{5, 6, 7}));
    EXPECT_TRUE(flag(newest, "more"));
    json::Value middle = ask(*alice, 5, 3);
    EXPECT_EQ(seqsIn(middle, "messages"), (Seqs{2, 3, 4}));
    EXPECT_TRUE(flag(middle, "more"));
    json::Value first = ask(*alice, 2, 3);
    EXPECT_EQ(seqsIn(first, "messages"), (Seqs{1}));
    EXPECT_FALSE(flag(first, "more"));
    json::Value nothing = ask(*alice, 1, 3);
    EXPECT_TRUE(seqsIn(nothing, "messages").empty());
    EXPECT_FALSE(flag(nothing, "more"));
    EXPECT_EQ(seqsIn(ask(*alice, std::nullopt, std::nullopt), "messages"), (Seqs{1, 2, 3, 4, 5, 6, 7}));
    EXPECT_EQ(seqsIn(ask(*alice, 1000, 2), "messages"), (Seqs{6, 7}));
}

TEST(HistoryRequest, ReachesAsFarAsTheRoomHoldsItsHistory) {
    AliceInRoom room([](chat::ChatSettings& settings) { settings.history_size = 4; });
    WsClient* alice = room.alice.get();
    post(*alice, 6);
    json::Value page = ask(*alice, std::nullopt, 10);
    EXPECT_EQ(seqsIn(page, "messages"), (Seqs{3, 4, 5, 6}));
    EXPECT_FALSE(flag(page, "more"));
    EXPECT_TRUE(seqsIn(ask(*alice, 3, 10), "messages").empty());
}

TEST(HistoryRequest, AnAnswerIsCutToHalfTheSendQueueAndSaysThereIsMore) {
    AliceInRoom room([](chat::ChatSettings& settings) { settings.send_queue_bytes = 4096; });
    WsClient* alice = room.alice.get();
    post(*alice, 20, std::string(300, 'x'));
    alice->sendText(historyRequest(std::nullopt, 20));
    auto frame = alice->receive();
    ASSERT_TRUE(frame);
    EXPECT_LE(frame->payload.size(), 4096u / 2);
    std::string error;
    const std::optional<json::Value> parsed = json::parse(frame->payload, error);
    ASSERT_TRUE(parsed) << error;
    const json::Value& page = *parsed;
    const Seqs seqs = seqsIn(page, "messages");
    ASSERT_FALSE(seqs.empty());
    EXPECT_LT(seqs.size(), 20u);
    EXPECT_EQ(seqs.back(), 20u);  // the newest are kept
    EXPECT_TRUE(flag(page, "more"));
}

TEST(HistoryRequest, BeforeAnyJoinIsABadRequestAndBadFieldsAreRefused) {
    ChatCore core;
    auto client = core.connect();
    client->sendText(historyRequest(std::nullopt, std::nullopt, "h"));
    json::Value error = nextOfType(*client, "error");
    EXPECT_EQ(str(error, "code"), "bad_request");
    EXPECT_EQ(str(error, "id"), "h");
    enter(*client, "r", "alice");
    for (const char* bad : {R"({"type":"history","limit":0})", R"({"type":"history","limit":101})",
                            R"({"type":"history","before":-1})", R"({"type":"history","before":"5"})"}) {
        client->sendText(bad);
        EXPECT_EQ(str(nextOfType(*client, "error"), "code"), "bad_request") << bad;
    }
}

TEST(HistoryRequest, AClientAskingTooFastIsToldToWait) {
    ChatCore core;
    auto client = core.connect();
    enter(*client, "r", "alice");
    std::vector<std::string> requests(30, historyRequest(std::nullopt, 1));
    sendInOneWrite(*client, requests);
    int answered = 0;
    int limited = 0;
    for (int i = 0; i < 30; ++i) {
        json::Value frame = client->receiveJson();
        if (str(frame, "type") == "history") ++answered;
        if (str(frame, "type") == "error" && str(frame, "code") == "rate_limited") ++limited;
    }
    EXPECT_GE(answered, 10);
    EXPECT_LT(answered, 20);
    EXPECT_EQ(answered + limited, 30);
}

TEST(HistoryRequest, ASharedRoomPagesThroughTheBusLog) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    for (int i = 1; i <= 5; ++i) bus.remotePost("r", "bob", "b" + std::to_string(i));
    auto alice = shared.core().connect();
    const std::string epoch = str(enter(*alice, "r", "alice"), "epoch");
    json::Value page = ask(*alice, 4, 2, "h");
    EXPECT_EQ(str(page, "epoch"), epoch);
    EXPECT_EQ(str(page, "id"), "h");
    EXPECT_EQ(seqsIn(page, "messages"), (Seqs{2, 3}));
    EXPECT_TRUE(flag(page, "more"));
    json::Value first = ask(*alice, 2, 2);
    EXPECT_EQ(seqsIn(first, "messages"), (Seqs{1}));
    EXPECT_FALSE(flag(first, "more"));
    const auto asked = requestsOf<bus::HistoryRequest>(bus);
    ASSERT_EQ(asked.size(), 2u);
    EXPECT_EQ(asked[0].epoch, epoch);
    EXPECT_EQ(asked[0].limit, 2u);
}

TEST(HistoryRequest, ASharedRoomAnswersAnEmptyPageWhileTheLinkIsDown) {
    SharedCore shared;
    FakeBus& bus = shared.bus();
    ASSERT_TRUE(bus.remoteJoin("r", "bob"));
    bus.remotePost("r", "bob", "b1");
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    bus.hold();
    alice->sendText(historyRequest(std::nullopt, 5));
    ASSERT_TRUE(bus.waitHeld(1));
    bus.dropLink();  // the answer is lost with the link
    bus.flush();
    json::Value page = nextOfType(*alice, "history");
    EXPECT_TRUE(seqsIn(page, "messages").empty());
    EXPECT_FALSE(flag(page, "more"));
    // The room goes on locally: its history is its own again.
    alice->sendText(messageRequest("local"));
    const std::string local_epoch = str(nextOfType(*alice, "message"), "epoch");
    json::Value local = ask(*alice, std::nullopt, 5);
    EXPECT_EQ(str(local, "epoch"), local_epoch);
    EXPECT_EQ(seqsIn(local, "messages"), (Seqs{1}));
}

}  // namespace
}  // namespace chatd::testing
