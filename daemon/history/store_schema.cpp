#include "history/store_schema.h"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "history/store_error.h"
#include "history/store_failure.h"
#include "history/store_file_lock.h"

namespace chatd::history {

namespace {

constexpr int kBusyTimeoutMs = 5'000;

const char* const kCreateTables = R"sql(
CREATE TABLE IF NOT EXISTS chatd_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
    room TEXT PRIMARY KEY,
    epoch TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    room TEXT NOT NULL,
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ts_ms INTEGER NOT NULL,
    json TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS messages_position ON messages (room, epoch, seq);
CREATE INDEX IF NOT EXISTS messages_age ON messages (ts_ms);
CREATE INDEX IF NOT EXISTS rooms_age ON rooms (updated_ms);
)sql";

std::string prefix(const std::string& path) { return "history store " + path + ": "; }

// The directory must exist and be writable (WAL adds two files beside the database).
void checkDirectory(const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty()) throw StoreError("history store: the path is empty");
    const fs::path file(path);
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    std::error_code error;
    if (!fs::exists(dir, error))
        throw StoreError(prefix(path) + "the directory " + dir.string() + " does not exist");
    if (!fs::is_directory(dir, error))
        throw StoreError(prefix(path) + dir.string() + " is not a directory");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw StoreError(prefix(path) + "the directory " + dir.string() + " is not writable by this user (uid " +
                         std::to_string(::getuid()) + ")");
    if (fs::exists(file, error) && ::access(file.c_str(), R_OK | W_OK) != 0)
        throw StoreError(prefix(path) + "the file is not readable and writable by this user (uid " +
                         std::to_string(::getuid()) + ")");
}

void checkIntegrity(Database& db, const std::string& path) {
    Statement check = db.prepare("PRAGMA quick_check(3)");
    std::string problems;
    while (check.step()) {
        const std::string row = check.columnText(0);
        if (row == "ok") return;
        problems += (problems.empty() ? "" : "; ") + row;
    }
    throw StoreError(prefix(path) + "the database is corrupt (quick_check: " + problems +
                     "); move it away or restore a backup");
}

// A file with tables but no chatd_schema belongs to something else.
void checkSchema(Database& db, const std::string& path) {
    const bool ours = db.queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'chatd_schema'") > 0;
    const bool empty = db.queryInt("SELECT count(*) FROM sqlite_schema") == 0;
    if (!ours && !empty)
        throw StoreError(prefix(path) + "this SQLite database is not a chatd history store (no chatd_schema table)");
    if (!ours) return;
    const auto version = db.queryInt("SELECT max(version) FROM chatd_schema");
    if (version > kSchemaVersion)
        throw StoreError(prefix(path) + "written by a newer chatd (schema " + std::to_string(version) +
                         ", this one knows " + std::to_string(kSchemaVersion) + ")");
}

void createTables(Database& db) {
    db.exec("BEGIN IMMEDIATE");
    try {
        db.exec(kCreateTables);
        if (db.queryInt("SELECT count(*) FROM chatd_schema") == 0)
            db.exec("INSERT INTO chatd_schema (version) VALUES (" + std::to_string(kSchemaVersion) + ")");
        db.exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

}  // namespace

WriterConnection openWriter(const StoreSettings& settings) {
    const std::string& path = settings.path;
    checkDirectory(path);
    try {
        Database db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
        util::UniqueFd lock = lockStoreFile(path);
        db.check(sqlite3_busy_timeout(db.get(), kBusyTimeoutMs));
        // The first read of the file: a file that is no database fails here.
        if (const auto mode = db.queryText("PRAGMA journal_mode = WAL"); mode != "wal")
            throw StoreError(prefix(path) + "cannot use WAL mode (journal_mode stays '" + mode +
                             "'): the file system must support shared memory maps");
        db.exec(settings.sync == SyncMode::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        checkIntegrity(db, path);
        checkSchema(db, path);
        createTables(db);
        return WriterConnection{std::move(db), std::move(lock)};
    } catch (const SqliteError& error) {
        throw StoreError(describeFailure(path, error));
    }
}

namespace {
// Another connection to the already opened file; `query_only`: it cannot write.
Database openAnother(const std::string& path, bool query_only) {
    try {
        Database db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
        db.check(sqlite3_busy_timeout(db.get(), kBusyTimeoutMs));
        if (query_only) db.exec("PRAGMA query_only = 1");
        return db;
    } catch (const SqliteError& error) {
        throw StoreError(describeFailure(path, error));
    }
}
}  // namespace

Database openCheckpointer(const std::string& path) { return openAnother(path, false); }

Database openReader(const std::string& path) { return openAnother(path, true); }

}  // namespace chatd::history
