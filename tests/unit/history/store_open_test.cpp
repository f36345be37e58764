// HistoryStore::open refuses what it cannot keep messages in, with a message
// naming the file and the cause: garbage, a corrupt database, another
// program's database, a newer schema, a missing or unwritable directory, a
// file another store holds.
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>

#include "store_test_support.h"

namespace chatd::history::test {
namespace {

// The StoreError open() throws for `path`, or "" when it opens.
std::string openError(const std::string& path) {
    try {
        HistoryStore::open(settingsFor(path));
    } catch (const StoreError& error) {
        return error.what();
    }
    return "";
}

void execSql(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

TEST(StoreOpen, CreatesTheFileInWalMode) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    auto store = HistoryStore::open(settingsFor(path));
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST(StoreOpen, RefusesAFileThatIsNoDatabase) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    std::ofstream(path) << std::string(8192, 'G') << "this is not a database";
    const std::string error = openError(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("not a SQLite database"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesACorruptDatabase) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        auto store = HistoryStore::open(settingsFor(path));
        for (std::uint64_t seq = 1; seq <= 300; ++seq) store->append(message("lobby", "e1", seq, 1, 500), {});
    }  // closed: the WAL is checkpointed into the file
    ASSERT_GT(std::filesystem::file_size(path), 40'000u);
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(8192);  // past the header page: pages of the tables and indexes
        const std::string garbage(16384, '\x5a');
        file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    const std::string error = openError(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesAnotherProgramsDatabase) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    execSql(path, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT)");
    const std::string error = openError(path);
    EXPECT_NE(error.find("not a chatd history store"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesANewerSchema) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    HistoryStore::open(settingsFor(path));
    execSql(path, "UPDATE chatd_schema SET version = 99");
    const std::string error = openError(path);
    EXPECT_NE(error.find("newer chatd (schema 99"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesAMissingDirectory) {
    TempDir dir;
    const std::string path = dir.file("no-such-dir/history.db");
    const std::string error = openError(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("does not exist"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesADirectoryItCannotWriteIn) {
    // /proc takes no new files, not even from root.
    const std::string error = openError("/proc/chatd-history-test.db");
    EXPECT_NE(error.find("/proc/chatd-history-test.db"), std::string::npos) << error;
    EXPECT_TRUE(error.find("writable") != std::string::npos || error.find("cannot be opened") != std::string::npos)
        << error;
}

TEST(StoreOpen, RefusesAReadOnlyDirectoryForAnUnprivilegedUser) {
    if (::geteuid() == 0) GTEST_SKIP() << "root writes in a 0555 directory (the /proc test covers it)";
    TempDir dir;
    std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    const std::string error = openError(dir.file("history.db"));
    EXPECT_NE(error.find("not writable"), std::string::npos) << error;
}

TEST(StoreOpen, RefusesAFileAnotherStoreHolds) {
    TempDir dir;
    const std::string path = dir.file("history.db");
    auto first = HistoryStore::open(settingsFor(path));
    const std::string error = openError(path);
    EXPECT_NE(error.find(path), std::string::npos) << error;
    EXPECT_NE(error.find("locked by another process"), std::string::npos) << error;
    first.reset();
    EXPECT_EQ(openError(path), "");  // released on close
}

}  // namespace
}  // namespace chatd::history::test
