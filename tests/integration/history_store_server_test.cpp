// The in-process server and its history store: opened at start at
// history.path, reachable through Server::historyStore() while it runs,
// drained and closed by stop(); none with history.store: memory; a file it
// cannot use refuses the start with history::StoreError.
#include <gtest/gtest.h>

#include <fstream>

#include "history/history_store.h"
#include "temp_dir.h"
#include "test_server.h"

namespace chatd::testing {
namespace {

void useStore(config::Config& config, const std::string& path) {
    config.history.store = config::HistoryStoreType::Sqlite;
    config.history.path = path;
}

TEST(HistoryStoreServer, OpenWhileRunningAndDrainedOnStop) {
    ScratchDir dir("chatd-store");
    const std::string path = dir.file("history.db");
    TestServer server([&](config::Config& config) { useStore(config, path); });
    history::HistoryStore* store = server.server().historyStore();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->path(), path);
    store->append({"lobby", "e1", 1, 1, "{}"}, {});
    server.server().stop(std::chrono::milliseconds(100));
    EXPECT_EQ(server.server().historyStore(), nullptr);
    history::StoreSettings settings;
    settings.path = path;
    auto reopened = history::HistoryStore::open(settings);
    EXPECT_EQ(reopened->loadRoom("lobby", 5).position, (history::RoomPosition{"e1", 1}));
}

TEST(HistoryStoreServer, NoneWithTheMemoryStore) {
    TestServer server;  // testConfig(): history.store: memory
    EXPECT_EQ(server.server().historyStore(), nullptr);
}

TEST(HistoryStoreServer, AFileItCannotUseRefusesTheStart) {
    ScratchDir dir("chatd-store");
    const std::string path = dir.file("history.db");
    std::ofstream(path) << std::string(1000, 'x');
    config::Config config = testConfig();
    useStore(config, path);
    server::Server server(config);
    EXPECT_THROW(server.start(), history::StoreError);
}

}  // namespace
}  // namespace chatd::testing
