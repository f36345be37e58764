// Retention: by count per room, by age, old epochs, expired rooms, in chunks.
#include "history/store_retention.h"
#include "history/store_schema.h"
#include "store_test_support.h"

namespace chatd::history::test {
namespace {

using namespace std::chrono_literals;

StoreSettings retentionSettings(const std::string& path, metrics::Registry* registry, Retention rules) {
    StoreSettings settings = settingsFor(path, registry);
    settings.retention = rules;
    settings.retention_interval = 20ms;
    settings.retention_chunk = 7;  // several chunks per room
    return settings;
}

std::size_t stored(HistoryStore& store, const std::string& room, const std::string& epoch) {
    return store.page(room, epoch, std::nullopt, 100'000).messages.size();
}

TEST(StoreRetention, KeepsTheNewestMaxMessagesOfEachRoom) {
    TempDir dir;
    metrics::Registry registry;
    auto store = HistoryStore::open(retentionSettings(dir.file("history.db"), &registry, {0ms, 10}));
    for (std::uint64_t seq = 1; seq <= 100; ++seq) store->append(message("big", "e1", seq), {});
    for (std::uint64_t seq = 1; seq <= 4; ++seq) store->append(message("small", "e1", seq), {});
    store->flush();
    ASSERT_TRUE(waitUntil([&] { return stored(*store, "big", "e1") == 10; })) << stored(*store, "big", "e1");
    EXPECT_EQ(seqsOf(store->loadRoom("big", 100).recent), range(91, 100));
    EXPECT_EQ(store->loadRoom("big", 0).position, (RoomPosition{"e1", 100}));
    EXPECT_EQ(stored(*store, "small", "e1"), 4u);
    EXPECT_EQ(metricValue(registry, "chatd_history_store_retention_deleted_total"), 90);
}

TEST(StoreRetention, RoomsWrittenBeforeARestartAreTrimmedToo) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        auto store = HistoryStore::open(settingsFor(path));  // no retention
        for (std::uint64_t seq = 1; seq <= 50; ++seq) store->append(message("lobby", "e1", seq), {});
    }
    metrics::Registry registry;
    auto store = HistoryStore::open(retentionSettings(path, &registry, {0ms, 20}));
    ASSERT_TRUE(waitUntil([&] { return stored(*store, "lobby", "e1") == 20; })) << stored(*store, "lobby", "e1");
    EXPECT_EQ(seqsOf(store->loadRoom("lobby", 100).recent), range(31, 50));
}

TEST(StoreRetention, DropsMessagesOlderThanMaxAge) {
    TempDir dir;
    metrics::Registry registry;
    auto store = HistoryStore::open(retentionSettings(dir.file("history.db"), &registry, {1h, 0}));
    const std::int64_t now = util::wallClockMillis();
    for (std::uint64_t seq = 1; seq <= 30; ++seq) store->append(message("lobby", "e1", seq, now - 2 * 3'600'000), {});
    for (std::uint64_t seq = 31; seq <= 35; ++seq) store->append(message("lobby", "e1", seq, now), {});
    store->flush();
    ASSERT_TRUE(waitUntil([&] { return stored(*store, "lobby", "e1") == 5; })) << stored(*store, "lobby", "e1");
    EXPECT_EQ(seqsOf(store->loadRoom("lobby", 100).recent), range(31, 35));
    EXPECT_EQ(store->loadRoom("lobby", 0).position, (RoomPosition{"e1", 35}));  // the position stays
}

TEST(StoreRetention, DeletesTheMessagesOfARoomsEarlierEpochs) {
    TempDir dir;
    auto store = HistoryStore::open(retentionSettings(dir.file("history.db"), nullptr, {0ms, 1000}));
    for (std::uint64_t seq = 1; seq <= 30; ++seq) store->append(message("lobby", "old", seq), {});
    store->recordEpoch("lobby", "new");
    store->append(message("lobby", "new", 1), {});
    store->flush();
    ASSERT_TRUE(waitUntil([&] { return stored(*store, "lobby", "old") == 0; })) << stored(*store, "lobby", "old");
    EXPECT_EQ(stored(*store, "lobby", "new"), 1u);
}

TEST(StoreRetention, ARoomWithNothingLeftExpires) {
    TempDir dir;
    auto store = HistoryStore::open(retentionSettings(dir.file("history.db"), nullptr, {300ms, 0}));
    store->append(message("gone", "e1", 1, util::wallClockMillis() - 60'000), {});
    store->append(message("kept", "e1", 1, util::wallClockMillis() + 3'600'000), {});
    store->flush();
    ASSERT_TRUE(waitUntil([&] { return !store->loadRoom("gone", 0).position; }));
    EXPECT_EQ(store->loadRoom("kept", 0).position, (RoomPosition{"e1", 1}));
}

TEST(StoreRetention, NewRulesApplyWithoutReopening) {
    TempDir dir;
    auto store = HistoryStore::open(retentionSettings(dir.file("history.db"), nullptr, {}));
    for (std::uint64_t seq = 1; seq <= 40; ++seq) store->append(message("lobby", "e1", seq), {});
    store->flush();
    store->setRetention({0ms, 15});
    store->append(message("lobby", "e1", 41), {});  // notes the room for the next pass
    ASSERT_TRUE(waitUntil([&] { return stored(*store, "lobby", "e1") == 15; })) << stored(*store, "lobby", "e1");
}

TEST(StoreRetention, EachStepDeletesAtMostOneChunk) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        auto store = HistoryStore::open(settingsFor(path));  // no retention rules
        for (std::uint64_t seq = 1; seq <= 60; ++seq) store->append(message("aged", "a1", seq, 1), {});
        for (std::uint64_t seq = 1; seq <= 45; ++seq) store->append(message("lobby", "e1", seq), {});
    }
    StoreSettings settings = settingsFor(path);
    WriterConnection connection = openWriter(settings);
    StoreRetention retention(connection.db, 7);
    retention.startPass();
    std::int64_t total = 0;
    int steps = 0;
    while (retention.passRunning()) {
        const std::int64_t deleted = retention.step({1h, 10}, util::wallClockMillis());
        EXPECT_LE(deleted, 7);
        total += deleted;
        ASSERT_LT(++steps, 1000);
    }
    EXPECT_EQ(total, 60 + 35);  // "aged" by age, then the surplus of "lobby"
    EXPECT_GE(steps, 95 / 7);
}

}  // namespace
}  // namespace chatd::history::test
