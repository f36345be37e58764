#include "history/store_writer.h"

#include <spdlog/spdlog.h>

#include "history/store_failure.h"
#include "util/clock.h"
#include "util/thread_setup.h"

namespace chatd::history {

namespace {
// Fewer queued than this on waking: yield once before taking them (waitForWork).
constexpr std::size_t kSmallBatch = 8;
// With caller_commits: the thread takes what no caller committed within this
// (a caller that appends and never commits still gets its writes done).
constexpr auto kCallerGrace = std::chrono::milliseconds(20);
}  // namespace

StoreWriter::StoreWriter(Database db, const StoreSettings& settings, StoreMetrics& metrics)
    : db_(std::move(db)),
      path_(settings.path),
      max_batch_(settings.max_batch == 0 ? 1 : settings.max_batch),
      caller_commits_(settings.caller_commits),
      retention_interval_(settings.retention_interval),
      metrics_(metrics),
      batch_writer_(db_),
      retention_(db_, settings.retention_chunk),
      checkpointer_(db_, path_,
                    [this] {
                        std::lock_guard lock(mutex_);
                        wake_.notify_one();
                    }),
      rules_(settings.retention),
      next_pass_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() { stop(); }

void StoreWriter::submit(WriteRequest request) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            if (queue_.empty()) oldest_queued_ = std::chrono::steady_clock::now();
            queue_.push_back(std::move(request));
            ++submitted_;
            // With caller_commits the thread wakes on its own (kCallerGrace):
            // waking it here would be the very hand-over commitQueued() saves.
            if (!caller_commits_) wake_.notify_one();
            return;
        }
    }
    callDone(request, false, "the history store is closed");
}

void StoreWriter::post(std::function<void(Database&)> task) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    wake_.notify_one();
}

void StoreWriter::commitQueued() {
    if (!caller_commits_) return;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return;  // the common case, without waiting on db_mutex_
    }
    std::lock_guard db_lock(db_mutex_);
    std::vector<WriteRequest> batch;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            takeBatch(batch);
        }
        if (batch.empty()) return;
        writeBatch(batch);
        batch.clear();
    }
}

void StoreWriter::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = submitted_;
    ++flushers_;
    wake_.notify_one();
    finished_.wait(lock, [&] { return completed_ >= target; });
    --flushers_;
}

void StoreWriter::setRetention(const Retention& rules) {
    std::lock_guard lock(mutex_);
    rules_ = rules;
}

void StoreWriter::setBatchRunner(BatchRunner runner) {
    std::lock_guard lock(mutex_);
    batch_runner_ = std::move(runner);
}

void StoreWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        wake_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void StoreWriter::run() {
    util::nameThisThread("chatd-store");
    // With caller commits this thread only does background work (checkpoints,
    // retention, stragglers): its waking must not preempt a hub shard in the
    // middle of a batch on a shared core, which holds that batch's messages back.
    if (caller_commits_) {
        if (const std::string why = util::runThisThreadInBackground(); !why.empty())
            spdlog::info("history store {}: the store's thread keeps the default scheduling ({})", path_, why);
    }
    std::vector<WriteRequest> batch;
    std::vector<std::function<void(Database&)>> tasks;
    while (waitForWork()) {
        {
            std::lock_guard db_lock(db_mutex_);
            takeWork(batch, tasks);
            for (auto& task : tasks) {
                try {
                    task(db_);
                } catch (const std::exception& error) {
                    spdlog::error("history store {}: writer task failed: {}", path_, error.what());
                }
            }
            tasks.clear();
            if (!batch.empty()) writeBatch(batch);
            batch.clear();
            retentionStep();
        }
        checkpointIfDue();  // commits go on meanwhile
    }
}

void StoreWriter::checkpointIfDue() {
    const std::string error = checkpointer_.run([this](const std::function<void()>& action) {
        std::lock_guard db_lock(db_mutex_);
        action();
    });
    if (!error.empty()) {
        metrics_.write_errors.inc();
        error_log_.log(spdlog::level::err, "history store {}: {}", path_, error);
    }
}

// The queue is the thread's to write when nobody else will: without
// caller_commits always; with it, when stopping, for a flush(), or when its
// oldest write waited kCallerGrace.
bool StoreWriter::threadShouldWrite(std::chrono::steady_clock::time_point now) const {
    if (queue_.empty()) return false;
    return !caller_commits_ || stopping_ || flushers_ > 0 || now - oldest_queued_ >= kCallerGrace;
}

bool StoreWriter::waitForWork() {
    std::unique_lock lock(mutex_);
    const auto has_work = [&] {
        return stopping_ || !tasks_.empty() || checkpointer_.due() ||
               threadShouldWrite(std::chrono::steady_clock::now());
    };
    // A retention pass in progress goes on as soon as the queue is empty;
    // the next one starts at its time. With caller_commits the thread looks
    // at the queue every kCallerGrace (nobody wakes it for a write), and a
    // pass waits for the callers to commit what they queued.
    if (!retention_.passRunning() || (caller_commits_ && !queue_.empty())) {
        auto until = next_pass_;
        if (caller_commits_) until = std::min(until, std::chrono::steady_clock::now() + kCallerGrace);
        wake_.wait_until(lock, until, has_work);
    }
    if (stopping_ && queue_.empty() && tasks_.empty()) return false;
    // Woken by the first of a burst (the shard numbering a batch, on the same
    // core when busy): let the producers run on once, so the batch is the burst.
    if (!caller_commits_ && !stopping_ && !queue_.empty() && queue_.size() < kSmallBatch) {
        lock.unlock();
        std::this_thread::yield();
    }
    return true;
}

void StoreWriter::takeWork(std::vector<WriteRequest>& batch, std::vector<std::function<void(Database&)>>& tasks) {
    std::lock_guard lock(mutex_);
    tasks.swap(tasks_);
    if (!threadShouldWrite(std::chrono::steady_clock::now())) return;  // a caller commits it
    takeBatch(batch);
}

void StoreWriter::takeBatch(std::vector<WriteRequest>& batch) {
    while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
}

void StoreWriter::writeBatch(std::vector<WriteRequest>& batch) {
    const auto started = util::steadyNow();
    std::vector<std::string> results;
    std::string failure;
    try {
        results = batch_writer_.write(batch, util::wallClockMillis());
        metrics_.commit_seconds.observe(util::steadyNow() - started);
        metrics_.batches.inc();
    } catch (const SqliteError& error) {
        failure = describeCause(error);
    } catch (const std::exception& error) {
        failure = error.what();
    }
    if (!failure.empty()) {
        metrics_.write_errors.inc();
        error_log_.log(spdlog::level::err, "history store {}: writing a batch of {} failed: {}", path_, batch.size(),
                       failure);
    }
    std::uint64_t written = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (failure.empty() && results[i].empty()) {
            retention_.noteRoom(batch[i].message.room);  // its count, or its earlier epochs
            if (batch[i].kind == WriteRequest::Kind::Message) ++written;
        }
    }
    metrics_.messages_written.inc(written);
    const auto callbacks = [&] {
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const std::string& error = failure.empty() ? results[i] : failure;
            callDone(batch[i], error.empty(), error);
        }
    };
    BatchRunner runner;
    {
        std::lock_guard lock(mutex_);
        runner = batch_runner_;
    }
    runBatchCallbacks(runner, callbacks);
    std::lock_guard lock(mutex_);
    completed_ += batch.size();
    finished_.notify_all();
}

void StoreWriter::retentionStep() {
    Retention rules;
    {
        std::lock_guard lock(mutex_);
        if (!queue_.empty() || stopping_) return;  // new messages first; no retention while draining
        rules = rules_;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!retention_.passRunning() || (caller_commits_ && !queue_.empty())) {
        if (now < next_pass_) return;
        next_pass_ = now + retention_interval_;
        retention_.startPass();
    }
    try {
        metrics_.retention_deleted.inc(static_cast<std::uint64_t>(retention_.step(rules, util::wallClockMillis())));
    } catch (const SqliteError& error) {
        retention_.abandonPass();
        metrics_.write_errors.inc();
        error_log_.log(spdlog::level::err, "history store {}: retention failed: {}", path_,
                       describeCause(error));
    }
}

// The runner is the caller's code: what it throws is logged, never lets the thread end.
void StoreWriter::runBatchCallbacks(const BatchRunner& runner, const std::function<void()>& callbacks) {
    if (!runner) return callbacks();
    try {
        runner(callbacks);
    } catch (const std::exception& exception) {
        spdlog::error("history store: the batch runner threw: {}", exception.what());
    } catch (...) {
        spdlog::error("history store: the batch runner threw");
    }
}

void StoreWriter::callDone(const WriteRequest& request, bool ok, std::string_view error) {
    if (!request.done) return;
    try {
        request.done(ok, error);
    } catch (const std::exception& exception) {
        spdlog::error("history store: a write's done callback threw: {}", exception.what());
    } catch (...) {
        spdlog::error("history store: a write's done callback threw");
    }
}

}  // namespace chatd::history
