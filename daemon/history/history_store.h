// HistoryStore: the durable history of every room, in one SQLite file (WAL).
// append() queues a message and returns at once; the store's writer thread
// commits everything queued in one transaction per batch and then calls each
// done, in append order, on that thread. loadRoom() and page() read
// synchronously and may be called from several threads at once. Retention
// (max_age, max_messages per room) runs on the writer thread in bounded
// steps. The destructor (and flush()) drains the queue: nothing appended
// before a clean stop is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "history/store_error.h"
#include "history/store_settings.h"
#include "history/stored_message.h"
#include "util/unique_fd.h"

namespace chatd::history {

class StoreMetrics;
class StoreReader;
class StoreWriter;

// What `chatdctl status` shows of the store (the same figures as the
// chatd_history_store_* metrics).
struct StoreHealth {
    double bytes = 0;                     // the database file and its WAL
    std::uint64_t messages_written = 0;
    std::uint64_t batches = 0;
    std::uint64_t write_errors = 0;
    double mean_commit_seconds = 0;       // over every batch since the start
};

class HistoryStore {
public:
    // ok: the write is committed. !ok: it is not, and `error` says why (the
    // disk is full, an I/O error, the message was already stored, the store is closed).
    using Done = std::function<void(bool ok, std::string_view error)>;
    // Runs `callbacks` (the done callbacks of one batch); must call them once.
    using BatchRunner = std::function<void(const std::function<void()>& callbacks)>;

    // Creates or opens the file, checks it (directory, lock, WAL, quick_check,
    // schema version) and starts the writer thread. Throws StoreError with a
    // message naming the file and the cause.
    static std::unique_ptr<HistoryStore> open(const StoreSettings& settings);
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    // Thread-safe, never blocks on the disk. `done` (may be empty) runs on the
    // writer thread once the batch holding the message is committed or failed;
    // it must not throw (it is caught and logged) nor call flush().
    void append(StoredMessage message, Done done);
    // Records that `room` starts `epoch` (seq 0) before it has any message of
    // it, queued in order with append(). The room's older epochs are deleted
    // by retention.
    void recordEpoch(std::string room, std::string epoch, Done done = {});

    // The room's epoch and last seq (nullopt when the store does not know the
    // room) and its newest `recent` messages of that epoch, oldest first.
    // Throws StoreError on a read error.
    RoomRecord loadRoom(const std::string& room, std::size_t recent);
    // Up to `limit` messages of (room, epoch) with seq < before_seq (the
    // newest when absent), oldest first; `more`: older ones exist.
    // Throws StoreError on a read error.
    HistoryPage page(const std::string& room, const std::string& epoch, std::optional<std::uint64_t> before_seq,
                     std::size_t limit);

    // With settings.caller_commits: commits what is appended so far on the
    // calling thread (done callbacks included). The room core calls it at the
    // end of each burst of appends. Otherwise a no-op. Not from a done callback.
    void commitQueued();
    // Returns once everything appended before the call is committed (or failed)
    // and its done called. Not from a done callback.
    void flush();
    // New retention rules, used from the next retention step on.
    void setRetention(const Retention& rules);
    // The store's thread runs each batch's done callbacks inside `runner`
    // (which must call them once); e.g. to hand their results over at once.
    void setBatchRunner(BatchRunner runner);
    // Caps the database at `pages` pages (PRAGMA max_page_count): a write
    // beyond it fails as on a full disk. Tests use it; 0 lifts the cap.
    void setMaxPages(std::uint64_t pages);

    const std::string& path() const { return settings_.path; }
    StoreHealth health() const;

private:
    struct OpenKey {
        explicit OpenKey() = default;
    };

public:
    // Only open() can name OpenKey.
    HistoryStore(OpenKey, const StoreSettings& settings);

private:
    StoreSettings settings_;
    // Released last, after every connection is closed: closing another
    // descriptor of the file would drop SQLite's own (POSIX) locks on it.
    util::UniqueFd file_lock_;
    std::unique_ptr<StoreMetrics> metrics_;
    std::unique_ptr<StoreReader> reader_;
    std::unique_ptr<StoreWriter> writer_;  // last: stopped (drained) first
};

}  // namespace chatd::history
