#include "history/store_writer.h"

#include <spdlog/spdlog.h>

#include "history/store_failure.h"
#include "util/clock.h"

namespace chatd::history {

namespace {
// Fewer queued than this on waking: yield once before taking them (takeWork).
constexpr std::size_t kSmallBatch = 8;
}  // namespace

StoreWriter::StoreWriter(Database db, const StoreSettings& settings, StoreMetrics& metrics)
    : db_(std::move(db)),
      path_(settings.path),
      max_batch_(settings.max_batch == 0 ? 1 : settings.max_batch),
      retention_interval_(settings.retention_interval),
      metrics_(metrics),
      batch_writer_(db_),
      retention_(db_, settings.retention_chunk),
      rules_(settings.retention),
      next_pass_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() { stop(); }

void StoreWriter::submit(WriteRequest request) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(std::move(request));
            ++submitted_;
            wake_.notify_one();
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

void StoreWriter::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = submitted_;
    finished_.wait(lock, [&] { return completed_ >= target; });
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
    std::vector<WriteRequest> batch;
    std::vector<std::function<void(Database&)>> tasks;
    while (takeWork(batch, tasks)) {
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
}

bool StoreWriter::takeWork(std::vector<WriteRequest>& batch, std::vector<std::function<void(Database&)>>& tasks) {
    std::unique_lock lock(mutex_);
    const auto has_work = [&] { return stopping_ || !queue_.empty() || !tasks_.empty(); };
    // A retention pass in progress goes on as soon as the queue is empty;
    // the next one starts at its time.
    if (!retention_.passRunning()) wake_.wait_until(lock, next_pass_, has_work);
    if (stopping_ && queue_.empty() && tasks_.empty()) return false;
    // Woken by the first of a burst (the shard numbering a batch, on the same
    // core when busy): let the producers run on once, so the batch is the burst.
    if (!stopping_ && !queue_.empty() && queue_.size() < kSmallBatch) {
        lock.unlock();
        std::this_thread::yield();
        lock.lock();
    }
    tasks.swap(tasks_);
    while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    return true;
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
    if (!retention_.passRunning()) {
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
