#include "history/store_failure.h"

#include <sqlite3.h>

namespace chatd::history {

std::string describeCause(const SqliteError& error) {
    const std::string detail = error.what();
    switch (error.primaryCode()) {
        case SQLITE_NOTADB:
            return "the file is not a SQLite database (" + detail + "); move it away or restore a backup";
        case SQLITE_CORRUPT:
            return "the database is corrupt (" + detail + "); move it away or restore a backup";
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return "cannot be opened for writing (" + detail +
                   "): the file and its directory must be writable by the user chatd runs as";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "locked by another process (" + detail + ")";
        case SQLITE_FULL:
            return "the disk is full (" + detail + ")";
        case SQLITE_IOERR:
            return "I/O error (" + detail + ")";
        default:
            return detail;
    }
}

std::string describeFailure(const std::string& path, const SqliteError& error) {
    return "history store " + path + ": " + describeCause(error);
}

}  // namespace chatd::history
