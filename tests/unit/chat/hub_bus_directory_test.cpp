// What the bus brings the hub for the operator and the plugins of other
// instances: a disconnect by nick asked on another instance closes every
// session here holding the nick (4000, the reason), and a plugin broadcast
// goes to the handler set on the hub (dropped without one).
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

// The close frame `client` gets next (skipping chat), or nullopt.
std::optional<Frame> closeFrame(WsClient& client) {
    while (auto frame = client.receive(5s))
        if (frame->opcode == ws::Opcode::Close) return frame;
    return std::nullopt;
}

TEST(HubBus, ARemoteDisconnectClosesEveryHolderOfTheNickWithTheReason) {
    SharedCore shared;
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    auto bob = shared.core().connect();
    enterSeenBy(*bob, "r", "bob", {alice.get()});

    shared.bus().remoteDisconnect("ALICE", std::string(300, 'x'));  // case-insensitive, reason cut to fit
    const auto closed = closeFrame(*alice);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->close_code, 4000);
    EXPECT_EQ(closed->close_reason, std::string(123, 'x'));
    EXPECT_EQ(str(expectPresence(*bob, "leave", "alice", 1u), "nick"), "alice");

    shared.bus().remoteDisconnect("nobody", "gone");  // nothing here: nothing happens
    bob->sendText(R"({"type":"message","text":"still here"})");
    EXPECT_EQ(str(nextOfType(*bob, "message"), "text"), "still here");
}

TEST(HubBus, APluginBroadcastGoesToTheHandlerAndNowhereWithoutOne) {
    SharedCore shared;
    shared.bus().remoteBroadcast({"moderation", "ban eve"});  // no handler yet: dropped
    std::vector<std::pair<std::string, bus::PluginBroadcast>> got;
    shared.core().hub().setPluginBroadcastHandler(
        [&got](const std::string& instance, bus::PluginBroadcast broadcast) {
            got.emplace_back(instance, std::move(broadcast));
        });
    shared.bus().remoteBroadcast({"moderation", "ban mallory"});
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].first, "B");
    EXPECT_EQ(got[0].second.plugin, "moderation");
    EXPECT_EQ(got[0].second.payload, "ban mallory");

    // This instance's own broadcasts go to the bus (not back to the handler).
    EXPECT_TRUE(shared.core().hub().bus().broadcast({"moderation", "ban trent"}));
    EXPECT_FALSE(shared.core().hub().bus().broadcast({"moderation", std::string(64 * 1024 + 1, 'p')}));
    ASSERT_EQ(shared.bus().broadcasts().size(), 1u);
    EXPECT_EQ(got.size(), 1u);
    shared.bus().dropLink();
    EXPECT_FALSE(shared.core().hub().bus().broadcast({"moderation", "ban walter"}));
}

}  // namespace
}  // namespace chatd::testing
