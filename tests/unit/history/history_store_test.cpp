// HistoryStore: batching, done order, reopening, paging, draining on close.
#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "store_test_support.h"

namespace chatd::history::test {
namespace {

TEST(HistoryStore, GroupsAppendsIntoFarFewerTransactionsThanMessages) {
    TempDir dir;
    metrics::Registry registry;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db"), &registry));
    constexpr int kMessages = 1000;
    for (int seq = 1; seq <= kMessages; ++seq) store->append(message("lobby", "e1", seq), {});
    store->flush();
    const double batches = metricValue(registry, "chatd_history_store_batches_total");
    std::cout << "1000 appends: " << batches << " transactions\n";
    EXPECT_EQ(metricValue(registry, "chatd_history_store_messages_written_total"), kMessages);
    EXPECT_GE(batches, 1);
    EXPECT_LE(batches, 100);  // one per message would be 1000
    EXPECT_EQ(metricValue(registry, "chatd_history_store_commit_seconds"), batches);
    EXPECT_EQ(metricValue(registry, "chatd_history_store_write_errors_total"), 0);
    EXPECT_GT(metricValue(registry, "chatd_history_store_bytes"), 0);
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", kMessages}));
}

TEST(HistoryStore, CallsEachDoneInAppendOrderOnTheWriterThread) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    std::mutex mutex;
    std::vector<std::uint64_t> done_order;
    std::set<std::thread::id> threads;
    for (std::uint64_t seq = 1; seq <= 500; ++seq) {
        store->append(message(seq % 2 ? "a" : "b", "e1", (seq + 1) / 2), [&, seq](bool ok, std::string_view error) {
            EXPECT_TRUE(ok) << error;
            std::lock_guard lock(mutex);
            done_order.push_back(seq);
            threads.insert(std::this_thread::get_id());
        });
    }
    store->flush();
    std::lock_guard lock(mutex);
    EXPECT_EQ(done_order, range(1, 500));
    ASSERT_EQ(threads.size(), 1u);
    EXPECT_NE(*threads.begin(), std::this_thread::get_id());
}

TEST(HistoryStore, RunsEachBatchsDoneCallbacksInsideTheBatchRunner) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    std::mutex mutex;
    int runs = 0;
    bool inside = false;
    std::vector<std::uint64_t> done_order;
    std::vector<std::uint64_t> done_outside;
    store->setBatchRunner([&](const std::function<void()>& callbacks) {
        {
            std::lock_guard lock(mutex);
            ++runs;
            inside = true;
        }
        callbacks();
        std::lock_guard lock(mutex);
        inside = false;
    });
    for (std::uint64_t seq = 1; seq <= 300; ++seq) {
        store->append(message("lobby", "e1", seq), [&, seq](bool ok, std::string_view error) {
            EXPECT_TRUE(ok) << error;
            std::lock_guard lock(mutex);
            done_order.push_back(seq);
            if (!inside) done_outside.push_back(seq);
        });
    }
    store->flush();
    std::lock_guard lock(mutex);
    EXPECT_EQ(done_order, range(1, 300));
    EXPECT_TRUE(done_outside.empty());
    EXPECT_GE(runs, 1);
    EXPECT_LE(runs, 300);
}

TEST(HistoryStore, ARunnerThatThrowsDoesNotStopTheWriter) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    std::atomic<int> kept{0};
    store->setBatchRunner([](const std::function<void()>& callbacks) {
        callbacks();
        throw std::runtime_error("runner failed");
    });
    for (std::uint64_t seq = 1; seq <= 20; ++seq)
        store->append(message("lobby", "e1", seq), [&](bool ok, std::string_view) { kept += ok ? 1 : 0; });
    store->flush();
    EXPECT_EQ(kept.load(), 20);
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", 20}));
}

TEST(HistoryStore, ReopeningKeepsEachRoomsEpochSeqAndMessages) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        auto store = HistoryStore::open(settingsFor(path));
        for (std::uint64_t seq = 1; seq <= 10; ++seq) store->append(message("lobby", "e1", seq), {});
        store->recordEpoch("quiet", "q7");
        store->flush();
        EXPECT_EQ(store->loadRoom("lobby", 3).position, (RoomPosition{"e1", 10}));
    }
    auto store = HistoryStore::open(settingsFor(path));
    const RoomRecord lobby = store->loadRoom("lobby", 5);
    EXPECT_EQ(lobby.position, (RoomPosition{"e1", 10}));
    ASSERT_EQ(seqsOf(lobby.recent), range(6, 10));
    EXPECT_EQ(lobby.recent.back(), message("lobby", "e1", 10, lobby.recent.back().ts_ms));
    const RoomRecord quiet = store->loadRoom("quiet", 5);
    EXPECT_EQ(quiet.position, (RoomPosition{"q7", 0}));
    EXPECT_TRUE(quiet.recent.empty());
    EXPECT_FALSE(store->loadRoom("unknown", 5).position);
    EXPECT_EQ(seqsOf(store->loadRoom("lobby", 100).recent), range(1, 10));
}

TEST(HistoryStore, ANewEpochStartsAtZeroAndHidesTheOldOne) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    for (std::uint64_t seq = 1; seq <= 3; ++seq) store->append(message("lobby", "e1", seq), {});
    store->recordEpoch("lobby", "e1");  // the same epoch again changes nothing
    store->flush();
    EXPECT_EQ(store->loadRoom("lobby", 10).position, (RoomPosition{"e1", 3}));
    store->recordEpoch("lobby", "e2");
    store->flush();
    const RoomRecord record = store->loadRoom("lobby", 10);
    EXPECT_EQ(record.position, (RoomPosition{"e2", 0}));
    EXPECT_TRUE(record.recent.empty());
    store->append(message("lobby", "e2", 1), {});
    store->flush();
    EXPECT_EQ(store->loadRoom("lobby", 10).position, (RoomPosition{"e2", 1}));
    EXPECT_EQ(seqsOf(store->loadRoom("lobby", 10).recent), range(1, 1));
}

TEST(HistoryStore, PagesBackToTheBeginning) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    for (std::uint64_t seq = 1; seq <= 25; ++seq) store->append(message("lobby", "e1", seq), {});
    store->append(message("other", "e1", 1), {});
    store->flush();

    auto page = store->page("lobby", "e1", std::nullopt, 10);  // the newest
    EXPECT_EQ(seqsOf(page.messages), range(16, 25));
    EXPECT_TRUE(page.more);
    page = store->page("lobby", "e1", 16, 10);
    EXPECT_EQ(seqsOf(page.messages), range(6, 15));
    EXPECT_TRUE(page.more);
    page = store->page("lobby", "e1", 6, 10);  // the beginning: fewer than asked
    EXPECT_EQ(seqsOf(page.messages), range(1, 5));
    EXPECT_FALSE(page.more);
    page = store->page("lobby", "e1", 11, 10);  // exactly to the beginning
    EXPECT_EQ(seqsOf(page.messages), range(1, 10));
    EXPECT_FALSE(page.more);
    page = store->page("lobby", "e1", 1, 10);  // before the first message
    EXPECT_TRUE(page.messages.empty());
    EXPECT_FALSE(page.more);
    page = store->page("lobby", "e1", 1000, 100);  // before beyond the end: everything
    EXPECT_EQ(seqsOf(page.messages), range(1, 25));
    EXPECT_FALSE(page.more);
    page = store->page("lobby", "e1", 20, 0);
    EXPECT_TRUE(page.messages.empty());
    EXPECT_TRUE(page.more);
    EXPECT_TRUE(store->page("lobby", "e0", std::nullopt, 10).messages.empty());  // another epoch
    EXPECT_TRUE(store->page("nowhere", "e1", std::nullopt, 10).messages.empty());
    const auto second = store->page("lobby", "e1", 3, 1).messages;
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second.front(), message("lobby", "e1", 2, second.front().ts_ms));
}

TEST(HistoryStore, RefusesAMessageAlreadyStoredAndKeepsTheFirst) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    store->append(message("lobby", "e1", 1), {});
    std::string refusal;
    bool refused_ok = true;
    auto again = message("lobby", "e1", 1);
    again.json = "{}";
    store->append(again, [&](bool ok, std::string_view error) {
        refused_ok = ok;
        refusal = error;
    });
    store->append(message("lobby", "e1", 2), {});
    store->flush();
    EXPECT_FALSE(refused_ok);
    EXPECT_NE(refusal.find("already stored"), std::string::npos) << refusal;
    const auto page = store->page("lobby", "e1", std::nullopt, 10);
    ASSERT_EQ(seqsOf(page.messages), range(1, 2));
    EXPECT_NE(page.messages.front().json, "{}");
}

TEST(HistoryStore, RefusesAMessageThatWouldLeaveAGapInItsEpoch) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    store->append(message("lobby", "e1", 1), {});
    std::string refusal;
    store->append(message("lobby", "e1", 3), [&](bool ok, std::string_view error) {
        if (!ok) refusal = error;
    });
    store->append(message("lobby", "e1", 2), {});
    store->flush();
    EXPECT_NE(refusal.find("out of sequence"), std::string::npos) << refusal;
    EXPECT_EQ(store->loadRoom("lobby", 10).position, (RoomPosition{"e1", 2}));
    EXPECT_EQ(seqsOf(store->page("lobby", "e1", std::nullopt, 10).messages), range(1, 2));
    store->append(message("lobby", "e2", 7), {});  // another epoch starts where it starts
    store->append(message("other", "e9", 4), {});  // so does a room the store does not know
    store->flush();
    EXPECT_EQ(store->loadRoom("lobby", 10).position, (RoomPosition{"e2", 7}));
    EXPECT_EQ(store->loadRoom("other", 10).position, (RoomPosition{"e9", 4}));
}

TEST(HistoryStore, ClosingCommitsEverythingAppendedBefore) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    std::atomic<int> done{0};
    {
        auto store = HistoryStore::open(settingsFor(path));
        for (std::uint64_t seq = 1; seq <= 2000; ++seq)
            store->append(message("lobby", "e1", seq), [&](bool ok, std::string_view) { done += ok ? 1 : 0; });
    }  // no flush: the destructor drains
    EXPECT_EQ(done.load(), 2000);
    auto store = HistoryStore::open(settingsFor(path));
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", 2000}));
    EXPECT_EQ(store->page("lobby", "e1", std::nullopt, 5000).messages.size(), 2000u);
}

}  // namespace
}  // namespace chatd::history::test
