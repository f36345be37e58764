// PresenceBatch alone: what one interval of a big room's joins, leaves and
// renames sums up to (presence_batch.h), and the member list a room pages
// through for the `users` request and the welcome.
#include <gtest/gtest.h>

#include <set>

#include "chat/presence_batch.h"
#include "chat/room.h"
#include "chat/welcome_frame.h"

namespace chatd::chat {
namespace {

using Nicks = std::vector<std::string>;
using Changes = std::vector<protocol::NickChange>;

TEST(PresenceBatch, CollectsJoinsLeavesAndRenamesInOrder) {
    PresenceBatch batch;
    EXPECT_TRUE(batch.empty());
    batch.joined("ann", 501);
    batch.left("bob", 500);
    batch.renamed("cy", "cyrus", 500);
    batch.joined("dee", 501);
    EXPECT_FALSE(batch.empty());
    const PresenceBatch::Summary summary = batch.take();
    EXPECT_EQ(summary.joined, (Nicks{"ann", "dee"}));
    EXPECT_EQ(summary.left, (Nicks{"bob"}));
    EXPECT_EQ(summary.renamed, (Changes{{"cy", "cyrus"}}));
    EXPECT_EQ(summary.joined_count, 2u);
    EXPECT_EQ(summary.left_count, 1u);
    EXPECT_EQ(summary.count, 501u);  // with the last event
    EXPECT_TRUE(batch.empty());
    EXPECT_TRUE(batch.take().joined.empty());
}

TEST(PresenceBatch, AMemberWhoJoinsAndLeavesWithinOneIntervalIsInBothLists) {
    PresenceBatch batch;
    batch.joined("ann", 601);
    batch.left("ann", 600);
    const auto summary = batch.take();
    EXPECT_EQ(summary.joined, (Nicks{"ann"}));
    EXPECT_EQ(summary.left, (Nicks{"ann"}));
    EXPECT_EQ(summary.joined_count, 1u);
    EXPECT_EQ(summary.left_count, 1u);
}

TEST(PresenceBatch, ANickThatLeftAndIsBackIsListedAsJoinedOnly) {
    PresenceBatch batch;
    batch.left("Ann", 600);
    batch.joined("ann", 601);  // the same nick, case-insensitively
    batch.joined("bob", 602);
    batch.left("bob", 601);
    batch.joined("BOB", 602);
    const auto summary = batch.take();
    EXPECT_EQ(summary.joined, (Nicks{"ann", "bob"}));  // each once
    EXPECT_TRUE(summary.left.empty());
    EXPECT_EQ(summary.left_count, 0u);
    EXPECT_EQ(summary.count, 602u);
}

// Applies a summary as a client does: renamed in order, then joined, then left.
std::set<std::string> applied(std::set<std::string> view, const PresenceBatch::Summary& summary) {
    for (const auto& change : summary.renamed) {
        view.erase(change.old_nick);
        view.insert(change.nick);
    }
    for (const auto& nick : summary.joined) view.insert(nick);
    for (const auto& nick : summary.left) view.erase(nick);
    return view;
}

TEST(PresenceBatch, RenamesInsideABatchKeepTheirOrderAndAJoinerIsListedUnderItsLastNick) {
    PresenceBatch batch;
    batch.joined("ann", 601);
    batch.renamed("ann", "anna", 601);
    batch.renamed("anna", "annie", 601);
    batch.renamed("bob", "rob", 601);
    batch.left("rob", 600);
    const auto summary = batch.take();
    EXPECT_EQ(summary.joined, (Nicks{"annie"}));
    EXPECT_EQ(summary.renamed, (Changes{{"ann", "anna"}, {"anna", "annie"}, {"bob", "rob"}}));
    EXPECT_EQ(summary.left, (Nicks{"rob"}));
    // A client from before the interval, and one that joined after ann and saw her as "ann".
    EXPECT_EQ(applied({"bob", "cy"}, summary), (std::set<std::string>{"annie", "cy"}));
    EXPECT_EQ(applied({"ann", "bob", "cy"}, summary), (std::set<std::string>{"annie", "cy"}));
}

TEST(PresenceBatch, ANickFreedByARenameAndTakenByAJoinerEndsWithBoth) {
    PresenceBatch batch;
    batch.renamed("ann", "anna", 600);
    batch.joined("ann", 601);  // another member takes the freed nick
    const auto summary = batch.take();
    EXPECT_EQ(applied({"ann", "bob"}, summary), (std::set<std::string>{"ann", "anna", "bob"}));
    // And a member who joins, leaves and whose nick a rename then takes.
    PresenceBatch again;
    again.joined("cy", 601);
    again.left("cy", 600);
    again.renamed("dee", "cy", 600);
    const auto second = again.take();
    EXPECT_EQ(second.joined, (Nicks{"cy"}));
    EXPECT_TRUE(second.left.empty());  // cy is here at the flush (dee's new nick)
    EXPECT_EQ(applied({"dee"}, second), (std::set<std::string>{"cy"}));
}

TEST(PresenceBatch, ListsStopAtFiftyAndTheCountsSayHowManyThereWere) {
    PresenceBatch batch;
    for (int i = 0; i < 120; ++i) batch.joined("j" + std::to_string(i), 1000);
    for (int i = 0; i < 51; ++i) batch.left("l" + std::to_string(i), 1000);
    for (int i = 0; i < 70; ++i) batch.renamed("r" + std::to_string(i), "s" + std::to_string(i), 1000);
    const auto summary = batch.take();
    EXPECT_EQ(summary.joined.size(), 50u);
    EXPECT_EQ(summary.joined.front(), "j0");
    EXPECT_EQ(summary.joined.back(), "j49");
    EXPECT_EQ(summary.joined_count, 120u);
    EXPECT_EQ(summary.left.size(), 50u);
    EXPECT_EQ(summary.left_count, 51u);
    EXPECT_EQ(summary.renamed.size(), 50u);
}

// Room `r` on one loop with these members.
struct RoomOf {
    RoomOf(std::initializer_list<const char*> nicks) {
        std::uint64_t serial = 1;
        for (const char* nick : nicks) room.addMember({makeSessionId(serial++, 0), Mode::Json}, nick);
    }
    Room room{"r", "e", 1};
};

TEST(RoomUsers, PagesInCaseInsensitiveOrder) {
    RoomOf of{"dee", "Bob", "ann", "Cy", "eve"};
    const Room& room = of.room;
    UsersPage first = room.usersPage(std::nullopt, 2);
    EXPECT_EQ(first.users, (Nicks{"ann", "Bob"}));
    EXPECT_EQ(first.next, "Bob");
    UsersPage second = room.usersPage(first.next, 2);
    EXPECT_EQ(second.users, (Nicks{"Cy", "dee"}));
    UsersPage last = room.usersPage(second.next, 2);
    EXPECT_EQ(last.users, (Nicks{"eve"}));
    EXPECT_FALSE(last.next);
}

TEST(RoomUsers, ExactPageMultiplesEndWithoutNext) {
    RoomOf of{"a1", "a2", "a3", "a4"};
    const Room& room = of.room;
    UsersPage first = room.usersPage(std::nullopt, 2);
    EXPECT_EQ(first.next, "a2");
    UsersPage second = room.usersPage(first.next, 2);
    EXPECT_EQ(second.users, (Nicks{"a3", "a4"}));
    EXPECT_FALSE(second.next);  // nothing after a4
    EXPECT_FALSE(room.usersPage(std::nullopt, 4).next);
    EXPECT_EQ(room.usersPage(std::nullopt, 1).users, (Nicks{"a1"}));
}

TEST(RoomUsers, AnEmptyRoomAndAfterAnyStringAndPastTheEnd) {
    Room empty("r", "e", 1);
    UsersPage none = empty.usersPage(std::nullopt, 200);
    EXPECT_TRUE(none.users.empty());
    EXPECT_FALSE(none.next);
    RoomOf of{"ann", "cy", "eve"};
    const Room& room = of.room;
    EXPECT_EQ(room.usersPage(std::string("BOB"), 10).users, (Nicks{"cy", "eve"}));  // not a member: the nicks after it
    EXPECT_EQ(room.usersPage(std::string("ANN"), 10).users, (Nicks{"cy", "eve"}));  // folded, like the room's nicks
    EXPECT_TRUE(room.usersPage(std::string("zed"), 10).users.empty());
    EXPECT_EQ(room.usersPage(std::string(""), 10).users.size(), 3u);
}

TEST(RoomUsers, AWelcomeListsTheJoinerFirstThenTheFirstOthers) {
    RoomOf of{"dee", "Bob", "ann", "Cy"};
    const Room& room = of.room;
    EXPECT_EQ(room.welcomeUsers("dee", 3), (Nicks{"dee", "ann", "Bob"}));
    EXPECT_EQ(room.welcomeUsers("ann", 1), (Nicks{"ann"}));
    EXPECT_EQ(room.welcomeUsers("Cy", 10), (Nicks{"Cy", "ann", "Bob", "dee"}));
    // A shared room's welcome, from the sync point's whole list.
    const Nicks all{"dee", "Bob", "ann", "Cy"};
    EXPECT_EQ(welcomeUsers(all, "dee", 3), (Nicks{"dee", "ann", "Bob"}));
    EXPECT_EQ(welcomeUsers(all, "ann", 1), (Nicks{"ann"}));
    EXPECT_EQ(welcomeUsers(all, "Cy", 10), (Nicks{"Cy", "ann", "Bob", "dee"}));
}

}  // namespace
}  // namespace chatd::chat
