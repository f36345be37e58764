// StoreSettings::caller_commits: whoever appended commits its burst itself
// (commitQueued), the store's thread only picks up what nobody committed, and
// WAL checkpoints run on the store's own connection (wal_checkpointer.h) so
// the WAL neither blocks a committer nor grows without end.
#include <sched.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store_test_support.h"

namespace chatd::history::test {
namespace {

StoreSettings callerCommits(const std::string& path, metrics::Registry* registry = nullptr) {
    StoreSettings settings = settingsFor(path, registry);
    settings.caller_commits = true;
    return settings;
}

// The scheduling policy of this process's thread named `name` (-1: no such thread).
int policyOfThreadNamed(const std::string& name) {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string comm_name;
        std::getline(comm, comm_name);
        if (comm_name == name) return ::sched_getscheduler(std::stoi(task.path().filename().string()));
    }
    return -1;
}

TEST(StoreCallerCommits, TheCallerCommitsItsBurstInOneTransactionOnItsOwnThread) {
    TempDir dir;
    metrics::Registry registry;
    auto store = HistoryStore::open(callerCommits(dir.file("history.db"), &registry));
    const auto caller = std::this_thread::get_id();
    int done_here = 0;
    for (std::uint64_t seq = 1; seq <= 50; ++seq)
        store->append(message("lobby", "e1", seq), [&](bool ok, std::string_view) {
            if (ok && std::this_thread::get_id() == caller) ++done_here;
        });
    store->commitQueued();
    // Every done ran before commitQueued returned, here; one batch. (The
    // thread may only take writes that waited 20 ms: this burst did not.)
    EXPECT_EQ(done_here, 50);
    EXPECT_EQ(metricValue(registry, "chatd_history_store_batches_total"), 1);
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", 50}));
}

TEST(StoreCallerCommits, WritesNobodyCommitsAreTakenByTheThread) {
    TempDir dir;
    auto store = HistoryStore::open(callerCommits(dir.file("history.db")));
    std::atomic<int> kept{0};
    for (std::uint64_t seq = 1; seq <= 3; ++seq)
        store->append(message("lobby", "e1", seq), [&](bool ok, std::string_view) { kept += ok ? 1 : 0; });
    EXPECT_TRUE(waitUntil([&] { return kept.load() == 3; }));
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", 3}));
}

TEST(StoreCallerCommits, CommittersOnSeveralThreadsKeepEveryRoomInOrder) {
    TempDir dir;
    auto store = HistoryStore::open(callerCommits(dir.file("history.db")));
    constexpr std::uint64_t kMessages = 2000;
    std::atomic<int> refused{0};
    std::vector<std::thread> shards;
    for (int shard = 0; shard < 3; ++shard) {
        shards.emplace_back([&, shard] {
            const std::string room = "room" + std::to_string(shard);
            for (std::uint64_t seq = 1; seq <= kMessages; ++seq) {
                // A gap or a message out of order is refused by the store.
                store->append(message(room, "e1", seq), [&](bool ok, std::string_view) { refused += ok ? 0 : 1; });
                if (seq % 7 == 0) store->commitQueued();
            }
            store->commitQueued();
        });
    }
    for (auto& shard : shards) shard.join();
    store->flush();
    EXPECT_EQ(refused.load(), 0);
    for (int shard = 0; shard < 3; ++shard)
        EXPECT_EQ(store->loadRoom("room" + std::to_string(shard), 0).position, (RoomPosition{"e1", kMessages}));
}

// Without checkpoints the WAL would hold all 48 MiB written; with them it is
// started over once a checkpoint caught up, and stays near the checkpoint size.
TEST(StoreCallerCommits, TheWalIsCheckpointedOffTheCommitter) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    auto store = HistoryStore::open(callerCommits(path));
    constexpr std::size_t kPad = 16 * 1024;
    std::uint64_t seq = 0;
    for (int burst = 0; burst < 64; ++burst) {
        for (int i = 0; i < 48; ++i) store->append(message("lobby", "e1", ++seq, util::wallClockMillis(), kPad), {});
        store->commitQueued();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));  // pacing, not readiness: lets checkpoints finish
    }
    store->flush();
    const auto wal = std::filesystem::file_size(path + "-wal");
    EXPECT_LT(wal, 24u * 1024 * 1024) << "the WAL was not checkpointed";
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", seq}));
}

// With caller commits the store's thread does background work only: its
// waking must not preempt a committing hub shard on a shared core.
TEST(StoreCallerCommits, TheStoresThreadRunsInTheBackgroundOnlyWhenCallersCommit) {
    TempDir dir;
    {
        auto store = HistoryStore::open(callerCommits(dir.file("history.db")));
        store->append(message("lobby", "e1", 1), nullptr);
        store->flush();  // written by the thread: it has set itself up
        EXPECT_EQ(policyOfThreadNamed("chatd-store"), SCHED_BATCH);
    }
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    store->append(message("lobby", "e1", 2), nullptr);
    store->flush();
    // It commits every batch (the message path): it keeps the policy it was started with.
    EXPECT_EQ(policyOfThreadNamed("chatd-store"), ::sched_getscheduler(0));
}

}  // namespace
}  // namespace chatd::history::test
