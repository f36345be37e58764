// One chatd per history file: an exclusive flock(2) on the database file,
// held while the store is open, so a second daemon pointed at the same file
// is refused at start instead of interleaving its rooms with ours. (SQLite's
// own locks are fcntl locks; on Linux the two kinds do not interact.)
#pragma once

#include <string>

#include "util/unique_fd.h"

namespace chatd::history {

// Takes the lock (the file must exist). Throws StoreError when another
// process holds it or the file cannot be opened.
util::UniqueFd lockStoreFile(const std::string& path);

}  // namespace chatd::history
