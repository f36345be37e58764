// StoreWriter: the history store's writes. Callers queue writes from any
// thread without waiting. What is queued is committed in one transaction per
// batch (up to max_batch) and each request's done is called in queue order
// (inside the batch runner, when one is set, so the results of a batch can be
// handed on at once), either by the store's own thread or, with
// caller_commits, by the caller itself at the end of its burst
// (commitQueued(): no thread hand-over on a message's way; the thread then
// only takes what no caller committed within kCallerGrace, flushes and
// retention, and runs as SCHED_BATCH: util/thread_setup.h). Between batches
// the thread runs retention, one bounded step at a time. A failed batch fails
// all its requests (counted, logged at most once per interval) and the next
// batch simply tries again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "history/sqlite_handle.h"
#include "history/store_batch.h"
#include "history/store_metrics.h"
#include "history/store_retention.h"
#include "history/store_settings.h"
#include "history/wal_checkpointer.h"
#include "util/log_throttle.h"

namespace chatd::history {

class StoreWriter {
public:
    // Takes the writer's connection and starts the thread. `metrics` must outlive it.
    StoreWriter(Database db, const StoreSettings& settings, StoreMetrics& metrics);
    // Drains the queue (every request's done is called), then ends the thread.
    ~StoreWriter();
    StoreWriter(const StoreWriter&) = delete;
    StoreWriter& operator=(const StoreWriter&) = delete;

    // Queues a write; never blocks on the disk. After stop() the request
    // fails at once, on the caller's thread.
    void submit(WriteRequest request);
    // Runs `task` on the writer thread before the next batch (tests, settings).
    void post(std::function<void(Database&)> task);
    // With caller_commits: commits what is queued now, on the calling thread
    // (the done callbacks run here too). Otherwise, or with nothing queued,
    // returns at once. Not from a done callback.
    void commitQueued();
    // Returns once every request submitted before the call is done. Not from a done callback.
    void flush();
    void setRetention(const Retention& rules);
    // Each batch's done callbacks run inside `runner` from the next batch on.
    void setBatchRunner(BatchRunner runner);
    // Ends the thread after the queue is drained; later submits fail at once.
    void stop();

private:
    void run();
    // Waits until there is work for the thread. False when stopped with nothing left to do.
    bool waitForWork();
    // Moves the next batch and the posted tasks out of the queue (db_mutex_ held).
    void takeWork(std::vector<WriteRequest>& batch, std::vector<std::function<void(Database&)>>& tasks);
    // Moves the oldest queued writes, up to max_batch, into `batch` (mutex_ and db_mutex_ held).
    void takeBatch(std::vector<WriteRequest>& batch);
    bool threadShouldWrite(std::chrono::steady_clock::time_point now) const;  // mutex_ held
    void writeBatch(std::vector<WriteRequest>& batch);
    void retentionStep();
    void checkpointIfDue();
    static void runBatchCallbacks(const BatchRunner& runner, const std::function<void()>& callbacks);
    static void callDone(const WriteRequest& request, bool ok, std::string_view error);

    Database db_;
    const std::string path_;
    const std::size_t max_batch_;
    const bool caller_commits_;
    const std::chrono::milliseconds retention_interval_;
    StoreMetrics& metrics_;
    StoreBatch batch_writer_;
    StoreRetention retention_;
    WalCheckpointer checkpointer_;
    util::LogThrottle error_log_{std::chrono::seconds(10)};

    // Held while db_ is used (a batch, a task, a retention step), by the
    // thread or a caller's commitQueued(); batches are taken from the queue
    // under it, so they are written in queue order whoever writes them.
    std::mutex db_mutex_;
    std::mutex mutex_;
    std::condition_variable wake_;      // work queued, or stop
    std::condition_variable finished_;  // completed_ moved
    std::deque<WriteRequest> queue_;
    std::vector<std::function<void(Database&)>> tasks_;
    Retention rules_;
    BatchRunner batch_runner_;     // under mutex_; copied by the thread per batch
    std::uint64_t submitted_ = 0;  // requests ever queued
    std::uint64_t completed_ = 0;  // requests whose done was called
    std::size_t flushers_ = 0;     // flush() calls waiting: the thread writes for them
    std::chrono::steady_clock::time_point oldest_queued_;  // when queue_ last became non-empty
    bool stopping_ = false;
    std::chrono::steady_clock::time_point next_pass_;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace chatd::history
