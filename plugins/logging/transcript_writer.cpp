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

bool TranscriptWriter::push(std::string line) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_) {
            dropped_.fetch_add(1);
            return false;
        }
        queue_.push_back(std::move(line));
    }
    wake_.notify_one();
    return true;
}

void TranscriptWriter::flush() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

// Takes everything queued at once and writes it with as few write() calls as
// possible; exits once stopping and the queue is empty.
void TranscriptWriter::run() {
    std::string batch;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;  // stopping, nothing left
        std::deque<std::string> lines;
        lines.swap(queue_);
        writing_ = true;
        lock.unlock();

        batch.clear();
        for (const std::string& line : lines) batch += line;
        if (writeAll(batch))
            written_.fetch_add(lines.size());
        else
            dropped_.fetch_add(lines.size());

        lock.lock();
        writing_ = false;
        if (queue_.empty()) idle_.notify_all();
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
