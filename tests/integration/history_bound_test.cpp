// chat.history_bytes and chat.history_total_bytes against the real server:
// one client fills many rooms with the longest escaped messages and leaves;
// the history held (chatd_history_bytes) stays within the total, the rooms
// nobody is in lose their history before a room with members, and what a
// `since` recovers stays right where the history was cut.
#include <gtest/gtest.h>

#include <iostream>

#include "history_flood.h"
#include "security_helpers.h"

namespace chatd::testing {
namespace {

constexpr std::size_t kRoomBytes = 256 * 1024;
constexpr std::size_t kTotalBytes = 2 * 1024 * 1024;

json::Value join(WsClient& client, const std::string& room, const std::string& nick, const std::string& since = "") {
    client.sendText(R"({"type":"join","room":")" + room + R"(","nick":")" + nick + '"' +
                    (since.empty() ? "" : R"(,"since":)" + since) + "}");
    return client.waitFor("welcome", 10s);
}

std::string since(const std::string& epoch, std::uint64_t seq) {
    return R"({"epoch":")" + epoch + R"(","seq":)" + std::to_string(seq) + "}";
}

bool recovered(const json::Value& welcome) { return *welcome.find("recovered")->asBool(); }
std::size_t historySize(const json::Value& welcome) { return welcome.find("history")->asArray()->size(); }

TEST(HistoryBound, FloodedRoomsStayWithinTheTotalAndGiveWayToLiveOnes) {
    constexpr int kRooms = 30;
    constexpr int kMessages = 20;  // 490 KB per room before the bounds
    TestServer server([](config::Config& c) {
        c.threads.hub = 2;  // each shard bounds its share of the total
        c.chat.history_bytes = kRoomBytes;
        c.chat.history_total_bytes = kTotalBytes;
        c.chat.join_nick_per_second = 0;
    });
    auto alice = WsClient::connect(server.port());
    const std::string live_epoch = str(join(*alice, "live", "alice"), "epoch");
    for (int i = 1; i <= 5; ++i) alice->sendText(R"({"type":"message","text":"kept )" + std::to_string(i) + R"("})");
    for (int i = 1; i <= 5; ++i) alice->waitFor("message");

    auto flooder = WsClient::connect(server.port());
    std::vector<std::string> epochs;
    for (int r = 0; r < kRooms; ++r)
        epochs.push_back(str(floodRoom(*flooder, "flood-" + std::to_string(r), kMessages), "epoch"));
    flooder.reset();

    const double held = metricValue(server, "chatd_history_bytes");
    std::cout << "[ history  ] " << kRooms << " rooms x " << kMessages << " escaped messages: chatd_history_bytes "
              << held << " (bound " << kTotalBytes << ")\n";
    EXPECT_GT(held, 0);
    EXPECT_LE(held, static_cast<double>(kTotalBytes));

    // The room with a member kept all of its history.
    auto bob = WsClient::connect(server.port());
    const json::Value live = join(*bob, "live", "bob", since(live_epoch, 0));
    EXPECT_TRUE(recovered(live));
    EXPECT_EQ(historySize(live), 5u);

    // The first flooded room gave way: what was cut is not recovered.
    const json::Value first = join(*bob, "flood-0", "bob", since(epochs.front(), 0));
    EXPECT_FALSE(recovered(first));

    // The last one holds its newest messages within chat.history_bytes: a
    // client one message behind gets it; one from the start does not.
    const std::string last_room = "flood-" + std::to_string(kRooms - 1);
    const json::Value behind = join(*bob, last_room, "bob", since(epochs.back(), kMessages - 1));
    EXPECT_TRUE(recovered(behind));
    ASSERT_EQ(historySize(behind), 1u);
    EXPECT_EQ(uint((*behind.find("history")->asArray())[0], "seq"), static_cast<std::uint64_t>(kMessages));
    const json::Value from_start = join(*bob, last_room, "bob", since(epochs.back(), 0));
    EXPECT_FALSE(recovered(from_start));
    EXPECT_GT(historySize(from_start), 0u);
    EXPECT_LE(historySize(from_start) * 24'576, kRoomBytes);
}

}  // namespace
}  // namespace chatd::testing
