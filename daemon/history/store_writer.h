// StoreWriter: the history store's own thread. Callers queue writes from any
// thread without waiting; the thread takes everything queued (up to
// max_batch) into one transaction, then calls each request's done in queue
// order, on this thread (inside the batch runner, when one is set, so the
// results of a batch can be handed on at once). Between batches it runs
// retention, one bounded step at a time. A failed batch fails all its
// requests (counted, logged at most once per interval) and the next batch
// simply tries again.
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
    // Returns once every request submitted before the call is done. Not from a done callback.
    void flush();
    void setRetention(const Retention& rules);
    // Each batch's done callbacks run inside `runner` from the next batch on.
    void setBatchRunner(BatchRunner runner);
    // Ends the thread after the queue is drained; later submits fail at once.
    void stop();

private:
    void run();
    // Waits for work; moves the next batch and the posted tasks out of the queue.
    // Returns false when stopped with nothing left to do.
    bool takeWork(std::vector<WriteRequest>& batch, std::vector<std::function<void(Database&)>>& tasks);
    void writeBatch(std::vector<WriteRequest>& batch);
    void retentionStep();
    static void runBatchCallbacks(const BatchRunner& runner, const std::function<void()>& callbacks);
    static void callDone(const WriteRequest& request, bool ok, std::string_view error);

    Database db_;
    const std::string path_;
    const std::size_t max_batch_;
    const std::chrono::milliseconds retention_interval_;
    StoreMetrics& metrics_;
    StoreBatch batch_writer_;
    StoreRetention retention_;
    util::LogThrottle error_log_{std::chrono::seconds(10)};

    std::mutex mutex_;
    std::condition_variable wake_;      // work queued, or stop
    std::condition_variable finished_;  // completed_ moved
    std::deque<WriteRequest> queue_;
    std::vector<std::function<void(Database&)>> tasks_;
    Retention rules_;
    BatchRunner batch_runner_;     // under mutex_; copied by the thread per batch
    std::uint64_t submitted_ = 0;  // requests ever queued
    std::uint64_t completed_ = 0;  // requests whose done was called
    bool stopping_ = false;
    std::chrono::steady_clock::time_point next_pass_;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace chatd::history
