// The logging plugin's file writer: lines are queued (bounded) by the hook and
// written by a thread of its own, so a slow disk never holds up the pipeline;
// when the queue is full, lines are dropped and counted instead of waiting.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace chatd::plugins::logging {

class TranscriptWriter {
 public:
    using ErrorFn = std::function<void(const std::string& message)>;

    // Opens `path` for appending (created with mode 0640) and starts the
    // writer thread. Throws std::runtime_error if the file cannot be opened.
    // `on_error` is called from the writer thread when a write fails.
    TranscriptWriter(const std::string& path, std::size_t max_queued_lines, ErrorFn on_error);

    // Writes what is still queued, stops the thread, closes the file.
    ~TranscriptWriter();
    TranscriptWriter(const TranscriptWriter&) = delete;
    TranscriptWriter& operator=(const TranscriptWriter&) = delete;

    // Queues one line; false (the line is dropped and counted) when full.
    bool push(std::string line);

    // Blocks until every line queued so far has been written.
    void flush();

    std::uint64_t written() const { return written_.load(); }
    std::uint64_t dropped() const { return dropped_.load(); }

 private:
    void run();
    // Writes all of `data`; false after a write error (reported via on_error).
    bool writeAll(const std::string& data);

    int fd_ = -1;
    std::size_t max_queued_;
    ErrorFn on_error_;
    std::mutex mutex_;
    std::condition_variable wake_;  // lines queued or stopping
    std::condition_variable idle_;  // queue written out
    std::deque<std::string> queue_;
    bool writing_ = false;
    bool stopping_ = false;
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::chrono::steady_clock::time_point last_error_report_{};
    std::thread thread_;  // last: starts after everything above exists
};

}  // namespace chatd::plugins::logging
