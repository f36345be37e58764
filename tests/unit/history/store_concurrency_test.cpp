// Reads from several threads while the writer commits: every read sees one
// consistent snapshot (a room's recent messages end at its position, pages
// hold consecutive seqs) and none fails.
#include <atomic>
#include <thread>

#include "store_test_support.h"

namespace chatd::history::test {
namespace {

TEST(StoreConcurrency, ReadersSeeConsistentSnapshotsWhileWriting) {
    TempDir dir;
    auto store = HistoryStore::open(settingsFor(dir.file("history.db")));
    constexpr std::uint64_t kMessages = 3000;
    std::atomic<bool> writing{true};
    std::atomic<std::uint64_t> reads{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
        readers.emplace_back([&, r] {
            try {
                while (writing) {
                    const RoomRecord record = store->loadRoom("lobby", 20);
                    if (record.position && !record.recent.empty() &&
                        (record.recent.back().seq != record.position->seq ||
                         record.recent.front().seq + record.recent.size() - 1 != record.position->seq))
                        ++failures;
                    const auto page = store->page("lobby", "e1", r % 2 ? std::optional<std::uint64_t>(500) : std::nullopt, 50);
                    for (std::size_t i = 1; i < page.messages.size(); ++i)
                        if (page.messages[i].seq != page.messages[i - 1].seq + 1) ++failures;
                    ++reads;
                }
            } catch (const std::exception& error) {
                ADD_FAILURE() << error.what();
                ++failures;
            }
        });
    }
    for (std::uint64_t seq = 1; seq <= kMessages; ++seq) {
        store->append(message("lobby", "e1", seq), {});
        if (seq % 100 == 0) std::this_thread::yield();
    }
    store->flush();
    // Let the readers see the final state at least once.
    const std::uint64_t seen = reads.load();
    waitUntil([&] { return reads.load() > seen + 8; });
    writing = false;
    for (auto& reader : readers) reader.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(reads.load(), 0u);
    std::cout << reads.load() << " reads while writing " << kMessages << " messages\n";
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", kMessages}));
}

}  // namespace
}  // namespace chatd::history::test
