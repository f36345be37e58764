// How the history store is opened and what it keeps: the file, the sync
// mode, the retention rules and where its metrics go.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace chatd::metrics {
class Registry;
}

namespace chatd::history {

// PRAGMA synchronous: what a power loss can cost (docs/operations.md).
// Normal: the transactions since the last checkpoint, never the file's
// integrity; Full: nothing committed (one more fsync per batch).
enum class SyncMode { Normal, Full };

// What retention keeps; 0 switches a rule off.
struct Retention {
    std::chrono::milliseconds max_age{0};  // messages older than this go
    std::size_t max_messages = 0;          // per room: only the newest this many stay
    friend bool operator==(const Retention&, const Retention&) = default;
};

struct StoreSettings {
    std::string path;  // the database file; its directory must exist
    SyncMode sync = SyncMode::Normal;
    Retention retention;
    // How often a retention pass starts (its deletes run in chunks between batches).
    std::chrono::milliseconds retention_interval{60'000};
    // Rows one retention step deletes in one transaction: the longest the
    // write lock is held for retention.
    std::size_t retention_chunk = 500;
    // Messages one transaction takes at most (a longer queue is several batches).
    std::size_t max_batch = 2'048;
    // Whoever appended commits its burst itself (StoreWriter::commitQueued):
    // no hand-over to the writer thread and back on a message's way. Off:
    // every batch is the writer thread's (sync full: its fsync per batch
    // must not stall the caller).
    bool caller_commits = false;
    // chatd_history_store_* metrics are registered here; null: a private registry.
    metrics::Registry* registry = nullptr;
};

}  // namespace chatd::history
