// Bounded queue + writer thread for the transcript file. The file is opened
// with O_APPEND so the old and the new instance around a reload can both
// write whole batches of lines to it without interleaving inside a line.
#include "transcript_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace chatd::plugins::logging {

TranscriptWriter::TranscriptWriter(const std::string& path, std::size_t max_queued_lines, ErrorFn on_error)
    : max_queued_(max_queued_lines), on_error_(std::move(on_error)) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("cannot open file '" + path + "': " + std::strerror(errno));
    thread_ = std::thread([this] { run(); });
}

TranscriptWriter::~TranscriptWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    ::close(fd_);
}

// Wakes the writer only when it has to: the first line after a write (the
// writer sleeps while nothing is queued) and when a batch is full.
bool TranscriptWriter::push(std::string_view line) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (pending_lines_ >= max_queued_) {
            dropped_.fetch_add(1, std::memory_order_relaxed);
            return false;
        }
        pending_.append(line);
        ++pending_lines_;
        wake = pending_lines_ == 1 || pending_lines_ == kBatchLines;
    }
    if (wake) wake_.notify_one();
    return true;
}

void TranscriptWriter::flush() {
    std::unique_lock lock(mutex_);
    ++flush_requests_;
    wake_.notify_one();
    idle_.wait(lock, [this] { return pending_lines_ == 0 && !writing_; });
}

// Waits for a first line, lingers a little so more lines join the batch, then
// writes everything queued with as few write() calls as possible; exits once
// stopping and nothing is queued.
void TranscriptWriter::run() {
    std::string batch;
    std::uint64_t flushes_seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || pending_lines_ != 0; });
        wake_.wait_for(lock, kLinger,
                       [&] { return stopping_ || flush_requests_ != flushes_seen || pending_lines_ >= kBatchLines; });
        flushes_seen = flush_requests_;
        if (pending_lines_ == 0) {
            if (stopping_) break;
            continue;
        }
        batch.swap(pending_);  // pending_ gets the old batch's capacity back
        const std::size_t lines = pending_lines_;
        pending_lines_ = 0;
        writing_ = true;
        lock.unlock();

        if (writeAll(batch))
            written_.fetch_add(lines, std::memory_order_relaxed);
        else
            dropped_.fetch_add(lines, std::memory_order_relaxed);
        batch.clear();

        lock.lock();
        writing_ = false;
        if (pending_lines_ == 0) idle_.notify_all();
    }
    idle_.notify_all();
}

bool TranscriptWriter::writeAll(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) continue;
        const auto now = std::chrono::steady_clock::now();
        if (on_error_ && (last_error_report_ == std::chrono::steady_clock::time_point{} ||
                          now - last_error_report_ >= std::chrono::seconds(10))) {
            last_error_report_ = now;
            on_error_(std::string("writing the transcript failed: ") + std::strerror(errno));
        }
        return false;
    }
    return true;
}

}  // namespace chatd::plugins::logging
