// The logging plugin's file writer: lines are queued (bounded) by the hook and
// written by a thread of its own, so a slow disk never holds up the pipeline;
// when the queue is full, lines are dropped and counted instead of waiting.
// Queued lines are appended to one buffer that the writer swaps with its own
// (no allocation per line once warm), and the writer collects lines for up to
// kLinger (or kBatchLines lines) before it writes, so the hook rarely has to
// wake it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace chatd::plugins::logging {

class TranscriptWriter {
public:
    using ErrorFn = std::function<void(const std::string& message)>;

    static constexpr std::chrono::milliseconds kLinger{20};
    static constexpr std::size_t kBatchLines = 1024;

    // Opens `path` for appending (created with mode 0640) and starts the
    // writer thread. Throws std::runtime_error if the file cannot be opened.
    // `on_error` is called from the writer thread when a write fails.
    TranscriptWriter(const std::string& path, std::size_t max_queued_lines, ErrorFn on_error);

    // Writes what is still queued, stops the thread, closes the file.
    ~TranscriptWriter();
    TranscriptWriter(const TranscriptWriter&) = delete;
    TranscriptWriter& operator=(const TranscriptWriter&) = delete;

    // Queues one line (with its '\n'); false (the line is dropped and
    // counted) when max_queued_lines are already waiting.
    bool push(std::string_view line);

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
    std::condition_variable wake_;  // lines queued, flush or stop
    std::condition_variable idle_;  // everything queued is written
    std::string pending_;           // queued lines, back to back
    std::size_t pending_lines_ = 0;
    bool writing_ = false;
    bool stopping_ = false;
    std::uint64_t flush_requests_ = 0;  // flush() asks the writer not to linger
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::chrono::steady_clock::time_point last_error_report_{};
    std::thread thread_;  // last: starts after everything above exists
};

}  // namespace chatd::plugins::logging
