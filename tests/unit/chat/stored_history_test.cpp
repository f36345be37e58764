// The room core with a message store: stored before sent, a failed write
// told to its sender alone with no gap in the numbering, rooms restored with
// their epoch, seq and history, and `since` and `history` served from the
// store beyond the room's in-memory history.
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "fake_store.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;
using Seqs = std::vector<std::uint64_t>;

ChatCore::Options withStore(FakeStore& store, std::size_t history_size = 100) {
    ChatCore::Options options;
    options.store = &store;
    options.settings.history_size = history_size;
    return options;
}

// An encoded message of room r as the store would hold it.
std::string storedMessage(const std::string& epoch, std::uint64_t seq) {
    return R"({"type":"message","room":"r","epoch":")" + epoch + R"(","seq":)" + std::to_string(seq) +
           R"(,"ts":1,"from":"old","text":"t)" + std::to_string(seq) + R"("})";
}

// Alice and bob in room r, with a store.
class StoredHistoryInRoom : public ::testing::Test {
protected:
    void SetUp() override {
        alice = core.connect();
        bob = core.connect();
        enter(*alice, "r", "alice");
        enter(*bob, "r", "bob");
        expectPresence(*alice, "join", "bob", 2u);
    }
    FakeStore store;
    ChatCore core{withStore(store)};
    std::unique_ptr<WsClient> alice;
    std::unique_ptr<WsClient> bob;
};

TEST_F(StoredHistoryInRoom, NobodyIsSentAMessageBeforeTheStoreKeptIt) {
    store.hold();
    alice->sendText(messageRequest("kept first"));
    ASSERT_TRUE(store.waitHeld(1));
    EXPECT_FALSE(bob->receive(200ms)) << "delivered before it was stored";
    // A joiner meanwhile is welcomed at the last message kept, and gets this one live.
    auto carol = core.connect();
    json::Value welcome = enter(*carol, "r", "carol");
    EXPECT_EQ(uint(welcome, "seq"), 0u);
    EXPECT_TRUE(historySeqs(welcome).empty());
    store.release();
    for (WsClient* client : {alice.get(), bob.get(), carol.get()}) {
        json::Value message = client->waitFor("message");
        EXPECT_EQ(str(message, "text"), "kept first");
        EXPECT_EQ(uint(message, "seq"), 1u);
    }
    EXPECT_EQ(store.keptSeqs("r"), (Seqs{1}));
}

TEST_F(StoredHistoryInRoom, AMessageTheStoreCouldNotKeepIsRefusedToItsSenderAndLeavesNoGap) {
    store.failNext(1);
    alice->sendText(messageRequest("lost", "m1"));
    json::Value error = nextOfType(*alice, "error");
    EXPECT_EQ(str(error, "code"), "unavailable");
    EXPECT_EQ(str(error, "id"), "m1");
    alice->sendText(messageRequest("kept", "m2"));
    for (WsClient* client : {alice.get(), bob.get()}) {
        json::Value message = nextOfType(*client, "message");
        EXPECT_EQ(str(message, "text"), "kept");
        EXPECT_EQ(uint(message, "seq"), 1u);  // the refused one took no number
    }
    EXPECT_EQ(store.keptSeqs("r"), (Seqs{1}));
}

TEST_F(StoredHistoryInRoom, MessagesNumberedAfterAFailedOneAreRefusedTooAndNumberingResumes) {
    store.hold();
    store.failNext(1);
    sendInOneWrite(*alice, {messageRequest("a", "1"), messageRequest("b", "2"), messageRequest("c", "3")});
    ASSERT_TRUE(store.waitHeld(3));
    store.release();  // 1 fails; 2 and 3 would leave a gap: the store refuses them
    for (const char* id : {"1", "2", "3"}) {
        json::Value error = nextOfType(*alice, "error");
        EXPECT_EQ(str(error, "code"), "unavailable");
        EXPECT_EQ(str(error, "id"), id);
    }
    alice->sendText(messageRequest("d"));
    EXPECT_EQ(uint(alice->waitFor("message"), "seq"), 1u);
    EXPECT_EQ(store.keptSeqs("r"), (Seqs{1}));
}

// A store that kept 8 messages of room r (epoch e-old).
FakeStore& preloaded(FakeStore& store) {
    std::vector<std::string> kept;
    for (std::uint64_t seq = 1; seq <= 8; ++seq) kept.push_back(storedMessage("e-old", seq));
    store.preload("r", "e-old", kept);
    return store;
}

TEST(StoredHistory, ARoomComesBackWithItsEpochSeqAndRecentMessages) {
    FakeStore store;
    ChatCore core(withStore(preloaded(store), 5));
    auto alice = core.connect();
    json::Value welcome = enter(*alice, "r", "alice");
    EXPECT_EQ(str(welcome, "epoch"), "e-old");
    EXPECT_EQ(uint(welcome, "seq"), 8u);
    EXPECT_EQ(historySeqs(welcome), (Seqs{4, 5, 6, 7, 8}));
    alice->sendText(messageRequest("next"));
    json::Value next = nextOfType(*alice, "message");
    EXPECT_EQ(str(next, "epoch"), "e-old");
    EXPECT_EQ(uint(next, "seq"), 9u);
}

TEST(StoredHistory, SinceBeyondTheRoomsHistoryIsRecoveredFromTheStore) {
    FakeStore store;
    ChatCore core(withStore(preloaded(store), 2));
    auto alice = core.connect();
    alice->sendText(joinRequest("r", "alice", std::make_pair(std::string("e-old"), std::uint64_t{3})));
    json::Value welcome = nextOfType(*alice, "welcome");
    EXPECT_TRUE(recovered(welcome));
    EXPECT_EQ(historySeqs(welcome), (Seqs{4, 5, 6, 7, 8}));
}

TEST(StoredHistory, HistoryPagesThroughTheStoreToTheBeginning) {
    FakeStore store;
    ChatCore core(withStore(preloaded(store), 2));
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    alice->sendText(historyRequest(std::nullopt, 5));
    json::Value newest = nextOfType(*alice, "history");
    EXPECT_EQ(str(newest, "epoch"), "e-old");
    EXPECT_EQ(seqsIn(newest, "messages"), (Seqs{4, 5, 6, 7, 8}));
    EXPECT_TRUE(flag(newest, "more"));
    alice->sendText(historyRequest(4, 5));
    json::Value oldest = nextOfType(*alice, "history");
    EXPECT_EQ(seqsIn(oldest, "messages"), (Seqs{1, 2, 3}));
    EXPECT_FALSE(flag(oldest, "more"));
}

}  // namespace
}  // namespace chatd::testing
