// A full disk (the file capped with PRAGMA max_page_count: SQLITE_FULL):
// every message of the failing batch gets done(false) with the reason, the
// error is counted, and writing recovers by itself once there is room.
#include <mutex>

#include "store_test_support.h"

namespace chatd::history::test {
namespace {

struct Outcome {
    std::mutex mutex;
    std::vector<std::pair<bool, std::string>> results;
    HistoryStore::Done record() {
        return [this](bool ok, std::string_view error) {
            std::lock_guard lock(mutex);
            results.emplace_back(ok, std::string(error));
        };
    }
};

TEST(StoreDiskFull, FailsTheBatchThenRecoversWhenThereIsRoom) {
    TempDir dir;
    metrics::Registry registry;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db"), &registry));
    store->append(message("lobby", "e1", 1), {});
    store->flush();

    store->setMaxPages(1);  // SQLite keeps it at the current size: no page more
    Outcome full;
    for (std::uint64_t seq = 2; seq <= 21; ++seq) store->append(message("lobby", "e1", seq, 1, 4000), full.record());
    store->flush();
    {
        std::lock_guard lock(full.mutex);
        ASSERT_EQ(full.results.size(), 20u);
        // The first batch fails on the full disk; a later batch finds its
        // messages no longer follow the room's last one (they are refused too).
        EXPECT_NE(full.results.front().second.find("disk is full"), std::string::npos) << full.results.front().second;
        for (const auto& [ok, error] : full.results) {
            EXPECT_FALSE(ok);
            EXPECT_TRUE(error.find("disk is full") != std::string::npos ||
                        error.find("out of sequence") != std::string::npos)
                << error;
        }
    }
    EXPECT_GE(metricValue(registry, "chatd_history_store_write_errors_total"), 1);
    EXPECT_EQ(store->loadRoom("lobby", 100).position, (RoomPosition{"e1", 1}));  // nothing half-written

    store->setMaxPages(0);  // room again
    Outcome recovered;
    for (std::uint64_t seq = 2; seq <= 21; ++seq)
        store->append(message("lobby", "e1", seq, 1, 4000), recovered.record());
    store->flush();
    std::lock_guard lock(recovered.mutex);
    ASSERT_EQ(recovered.results.size(), 20u);
    for (const auto& [ok, error] : recovered.results) EXPECT_TRUE(ok) << error;
    EXPECT_EQ(seqsOf(store->loadRoom("lobby", 100).recent), range(1, 21));
}

}  // namespace
}  // namespace chatd::history::test
