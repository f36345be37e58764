// SQLite's result codes in an operator's words: what went wrong with the
// history file and what to do about it.
#pragma once

#include <string>

#include "history/sqlite_handle.h"

namespace chatd::history {

// "the disk is full (database or disk is full)", "the database is corrupt (...)"...
std::string describeCause(const SqliteError& error);
// "history store <path>: <cause>"
std::string describeFailure(const std::string& path, const SqliteError& error);

}  // namespace chatd::history
