// Presence in a big shared room: two instances on one real redis-server,
// chat.presence_max_members: 3 and chat.welcome_users: 2 on both. Redis
// sends every event; each instance batches what it delivers once the room's
// count (every instance's members) is beyond the threshold, caps the welcome
// from the sync point's list and pages `users` through the members it knows.
#include <set>

#include "redis_instances.h"

namespace chatd::testing {
namespace {

using Nicks = std::vector<std::string>;

class BigSharedRoom : public SharedRooms {
protected:
    void SetUp() override {
        const auto small = [](config::Config& c) {
            c.chat.presence_max_members = 3;
            c.chat.presence_interval = std::chrono::milliseconds(200);
            c.chat.welcome_users = 2;
        };
        a_ = instance(small);
        b_ = instance(small);
    }
};

Nicks nicksIn(const json::Value& frame, std::string_view field) {
    Nicks out;
    for (const auto& item : *frame.find(field)->asArray()) out.push_back(*item.asString());
    return out;
}

TEST_F(BigSharedRoom, BatchesBeyondTheThresholdOnEveryInstanceAndPagesTheWholeRoom) {
    auto alice = joined(*a_, "big", "alice");
    auto bob = joined(*b_, "big", "bob");
    auto carol = joined(*a_, "big", "carol");
    alice->waitForPresence("join", "bob", 10s);
    EXPECT_EQ(uint(alice->waitForPresence("join", "carol", 10s), "count"), 3u);
    bob->waitForPresence("join", "carol", 10s);

    json::Value welcome;
    auto dave = joined(*b_, "big", "dave", &welcome);  // the 4th, on B
    EXPECT_EQ(nicksIn(welcome, "users"), (Nicks{"dave", "alice"}));
    EXPECT_EQ(uint(welcome, "count"), 4u);
    EXPECT_FALSE(*welcome.find("users_complete")->asBool());
    for (WsClient* member : {alice.get(), bob.get()}) {
        json::Value batch = member->waitFor("presence", 10s);
        EXPECT_EQ(str(batch, "event"), "batch");
        EXPECT_EQ(nicksIn(batch, "joined"), (Nicks{"dave"}));
        EXPECT_EQ(uint(batch, "count"), 4u);
    }

    // alice (on A) pages through every instance's members.
    std::set<std::string> all;
    std::optional<std::string> after;
    do {
        alice->sendText(R"({"type":"users","limit":3)" + (after ? R"(,"after":")" + *after + '"' : std::string()) +
                        "}");
        json::Value page = alice->waitFor("users", 10s);
        EXPECT_EQ(uint(page, "count"), 4u);
        for (const auto& nick : nicksIn(page, "users")) all.insert(nick);
        after = page.find("next") ? std::optional<std::string>(str(page, "next")) : std::nullopt;
    } while (after);
    EXPECT_EQ(all, (std::set<std::string>{"alice", "bob", "carol", "dave"}));

    dave->sendClose();  // back to 3 on both: per-event again
    for (WsClient* member : {alice.get(), bob.get()}) {
        json::Value leave = member->waitFor("presence", 10s);
        EXPECT_EQ(str(leave, "event"), "leave");
        EXPECT_EQ(str(leave, "nick"), "dave");
        EXPECT_EQ(uint(leave, "count"), 3u);
    }
}

}  // namespace
}  // namespace chatd::testing
