// HubShard when the Redis bus refuses a message (too much waits for Redis,
// bus.redis.max_outbound_bytes): its sender gets `unavailable` with the
// message's id, nobody else gets anything, and the room's numbering goes on
// without a gap (Redis never numbered the refused message).
#include <gtest/gtest.h>

#include "chat_requests.h"
#include "shared_core.h"

namespace chatd::testing {
namespace {

bus::PublishRequest refusedMessage(const std::string& from, const std::string& text, std::optional<std::string> id,
                                   const std::string& origin = {}) {
    return bus::PublishRequest{.room = "r", .from = from, .text = text, .id = std::move(id), .origin = origin};
}

TEST(Refused, TheSenderIsToldUnavailableAndNobodyElseSeesIt) {
    SharedCore shared;
    auto alice = shared.core().connect();
    auto carol = shared.core().connect();
    enter(*alice, "r", "alice");
    enterSeenBy(*carol, "r", "carol", {alice.get()});
    shared.bus().inject("r", bus::Refused{refusedMessage("alice", "too much", "x1")});
    expectError(*alice, "unavailable", "x1");
    // The next message is the first thing carol gets, numbered right after
    // the room's last one (seq 0 at the welcome): no gap.
    shared.bus().remotePost("r", "bob", "next");
    for (WsClient* client : {carol.get(), alice.get()}) {
        const json::Value next = nextOfType(*client, "message");
        EXPECT_EQ(str(next, "text"), "next");
        EXPECT_EQ(uint(next, "seq"), 1u);
    }
}

TEST(Refused, APostHasNobodyToTell) {
    SharedCore shared;
    auto alice = shared.core().connect();
    enter(*alice, "r", "alice");
    shared.bus().inject("r", bus::Refused{refusedMessage("alice", "a plugin's post", std::nullopt, "plugin")});
    shared.bus().remotePost("r", "bob", "next");
    EXPECT_EQ(str(nextOfType(*alice, "message"), "text"), "next");  // no error came first
}

}  // namespace
}  // namespace chatd::testing
