// WalCheckpointer: WAL checkpoints off the path of a commit. SQLite's
// automatic checkpoint runs inside the commit that takes the WAL past 1,000
// pages, with its fsyncs: with caller commits (StoreSettings::caller_commits)
// that is a hub shard, blocked on the disk. Instead, the writer's connection
// reports each commit's WAL size (sqlite3_wal_hook, which also turns the
// automatic checkpoint off) and the store's thread checkpoints on a
// connection of its own, PASSIVE: commits go on meanwhile. A write load that
// never lets a checkpoint catch up (a commit during each one) would grow the
// WAL without end, so past kWalHardCapPages the checkpoint runs on the
// writer's connection with commits held; it then catches up and the next
// commit starts the WAL over.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "history/sqlite_handle.h"

namespace chatd::history {

class WalCheckpointer {
public:
    // Checkpoint once the WAL holds this many pages (SQLite's default).
    static constexpr int kCheckpointPages = 1'000;
    // Beyond this (16 MiB of 4 KiB pages), with the commits held: by then the
    // checkpoints without them copied most of it, what is left is short.
    static constexpr int kWalHardCapPages = 4'000;
    // Runs `action` with the writer's connection to itself.
    using WithWriter = std::function<void(const std::function<void()>& action)>;

    // Hooks into `writer` (which must outlive this object) and opens a
    // connection of its own to `path`. `wake` is called from a commit that
    // makes a checkpoint due (it must not use the writer's connection).
    WalCheckpointer(Database& writer, const std::string& path, std::function<void()> wake);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    bool due() const { return due_.load(std::memory_order_relaxed); }
    // On the store's thread, the writer's connection not held: one
    // checkpoint. Returns "" or why it failed (busy is no failure).
    std::string run(const WithWriter& with_writer);

private:
    static int onCommit(void* self, sqlite3* db, const char* name, int pages);
    static std::string checkpoint(sqlite3* db);

    Database& writer_;
    Database own_;
    std::function<void()> wake_;
    std::atomic<int> wal_pages_{0};
    std::atomic<bool> due_{false};
};

}  // namespace chatd::history
