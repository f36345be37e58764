#include "history/wal_checkpointer.h"

#include <sqlite3.h>

#include "history/store_schema.h"

namespace chatd::history {

WalCheckpointer::WalCheckpointer(Database& writer, const std::string& path, std::function<void()> wake)
    : writer_(writer), own_(openCheckpointer(path)), wake_(std::move(wake)) {
    sqlite3_wal_hook(writer_.get(), &WalCheckpointer::onCommit, this);
}

WalCheckpointer::~WalCheckpointer() { sqlite3_wal_hook(writer_.get(), nullptr, nullptr); }

// Called by SQLite after each commit on the writer's connection, on the committing thread.
int WalCheckpointer::onCommit(void* self, sqlite3* /*db*/, const char* /*name*/, int pages) {
    auto& checkpointer = *static_cast<WalCheckpointer*>(self);
    checkpointer.wal_pages_.store(pages, std::memory_order_relaxed);
    if (pages >= kCheckpointPages && !checkpointer.due_.exchange(true) && checkpointer.wake_) checkpointer.wake_();
    return SQLITE_OK;
}

std::string WalCheckpointer::run(const WithWriter& with_writer) {
    if (!due_.exchange(false)) return {};
    if (wal_pages_.load(std::memory_order_relaxed) < kWalHardCapPages) return checkpoint(own_.get());
    std::string error;
    with_writer([&] { error = checkpoint(writer_.get()); });
    return error;
}

std::string WalCheckpointer::checkpoint(sqlite3* db) {
    int wal_frames = 0;
    int backfilled = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &backfilled);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY) return {};
    return std::string("checkpoint: ") + sqlite3_errstr(rc);
}

}  // namespace chatd::history
