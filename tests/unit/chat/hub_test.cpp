// Hub: routes each room to the one shard that orders it, and what shards
// produce back to the sessions' loops; reports the bus state and room count;
// takes a session that vanished before its welcome out of the room again;
// applies new settings to the requests that follow.
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "fake_bus.h"

namespace chatd::testing {
namespace {

// Eight rooms over four shards, two members each on different loops: each
// room has its own numbering, the same for both its members.
TEST(Hub, EachRoomHasOneSequenceForAllItsMembersWhateverTheShardCount) {
    ChatCore::Options options;
    options.shards = 4;
    ChatCore core(std::move(options));
    constexpr int kRooms = 8;
    std::vector<std::pair<std::unique_ptr<WsClient>, std::unique_ptr<WsClient>>> rooms;
    for (int r = 0; r < kRooms; ++r) {
        const std::string room = "room" + std::to_string(r);
        rooms.emplace_back(core.connect(chat::Mode::Json, 0), core.connect(chat::Mode::Json, 1));
        joinAs(*rooms.back().first, room, "x");
        joinAs(*rooms.back().second, room, "y");
    }
    for (auto& [x, y] : rooms) {
        x->sendText(messageRequest("from x"));
        y->sendText(messageRequest("from y"));
    }
    for (auto& [x, y] : rooms) {
        std::vector<std::string> seen[2];
        WsClient* members[2] = {x.get(), y.get()};
        for (int m = 0; m < 2; ++m) {
            while (seen[m].size() < 2) {
                json::Value frame = members[m]->receiveJson();
                if (str(frame, "type") == "message")
                    seen[m].push_back(std::to_string(uint(frame, "seq")) + " " + str(frame, "text"));
            }
        }
        EXPECT_EQ(seen[0], seen[1]);
        EXPECT_TRUE(seen[0][0].starts_with("1 ") && seen[0][1].starts_with("2 ")) << seen[0][0] << ", " << seen[0][1];
    }
    EXPECT_EQ(core.hub().roomCount(), static_cast<std::size_t>(kRooms));
}

TEST(Hub, TheBusStateIsMemoryOrRedisOrDegraded) {
    {
        ChatCore core;
        EXPECT_EQ(core.hub().busState(), "memory");
    }
    auto owned = std::make_unique<FakeBus>();
    FakeBus& bus = *owned;
    ChatCore::Options options;
    options.bus = std::move(owned);
    ChatCore core(std::move(options));
    EXPECT_EQ(core.hub().busState(), "redis");
    bus.dropLink();
    EXPECT_EQ(core.hub().busState(), "degraded");
    bus.restoreLink();
    EXPECT_EQ(core.hub().busState(), "redis");
}

// The welcome finds no session: the shard is told to take it out again, and
// the bus hears the nick released.
TEST(Hub, ASessionGoneBeforeItsWelcomeIsTakenOutOfTheRoomAgain) {
    auto owned = std::make_unique<FakeBus>();
    FakeBus& bus = *owned;
    ChatCore::Options options;
    options.bus = std::move(owned);
    ChatCore core(std::move(options));
    bus.hold();
    auto client = core.connect();
    client->sendText(joinRequest("r", "ghost"));
    ASSERT_TRUE(bus.waitHeld(2));  // the sync point, the join presence
    client.reset();
    ASSERT_TRUE(eventually([&] { return core.connectionCount() == 0; }));
    bus.flush();
    EXPECT_TRUE(bus.waitForRequest([](const bus::Request& request) {
        const auto* release = std::get_if<bus::ReleaseRequest>(&request);
        return release && release->room == "r" && release->nick == "ghost";
    }));
}

TEST(Hub, NewSettingsApplyToTheRequestsThatFollow) {
    ChatCore core;
    auto client = core.connect();
    enter(*client, "r", "alice");
    client->sendText(messageRequest("hello"));
    EXPECT_EQ(str(nextOfType(*client, "message"), "text"), "hello");
    chat::ChatSettings smaller = coreTestSettings();
    smaller.max_text_bytes = 4;
    core.hub().setSettings(smaller);
    client->sendText(messageRequest("hello", "m2"));
    expectError(*client, "too_large", "m2");
}

}  // namespace
}  // namespace chatd::testing
