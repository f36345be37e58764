// Opening the history database: the checks an operator needs to hear about
// at start (directory, file, integrity, schema version), the connection
// settings (WAL, synchronous) and the tables.
#pragma once

#include <string>

#include "history/sqlite_handle.h"
#include "history/store_settings.h"
#include "util/unique_fd.h"

namespace chatd::history {

// The schema this code writes (table chatd_schema).
inline constexpr int kSchemaVersion = 1;

// The writer's connection and the lock that keeps other daemons off the file.
struct WriterConnection {
    Database db;
    util::UniqueFd lock;
};

// Opens (creating when absent) the database for the writer: checks the
// directory and the file, takes the file lock, WAL mode, the sync mode,
// PRAGMA quick_check and the schema version, and creates the tables.
// Throws StoreError.
WriterConnection openWriter(const StoreSettings& settings);
// Another connection to the same (already opened) file, for reads only.
// Throws StoreError.
Database openReader(const std::string& path);
// A connection that only checkpoints the WAL (wal_checkpointer.h). Throws StoreError.
Database openCheckpointer(const std::string& path);

}  // namespace chatd::history
