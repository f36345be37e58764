// PendingCommands: how many of one session's chat messages wait in (or run
// at) their hub shard, for backpressure. The session takes a ticket per
// message it submits; the ticket travels in the command and gives its count
// back when the shard is done with it (the command destroyed). A session
// over its limit pauses reading its connection until the count is back down
// to a resume mark; the release that reaches the mark calls `resume` (on the
// shard's thread) exactly once. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

namespace chatd::chat {

class PendingTicket;

class PendingCommands : public std::enable_shared_from_this<PendingCommands> {
public:
    using Resume = std::function<void()>;
    explicit PendingCommands(Resume resume) : resume_(std::move(resume)) {}

    // Counts one more command in flight; the ticket uncounts it when destroyed.
    PendingTicket take();
    std::size_t count() const { return count_.load(); }
    // Asks for `resume` once the count is down to `resume_at`. False when it
    // already is (nothing to wait for: do not pause).
    bool pauseUntil(std::size_t resume_at);
    bool paused() const { return paused_.load(); }

private:
    friend class PendingTicket;
    void release();

    std::atomic<std::size_t> count_{0};
    std::atomic<std::size_t> resume_at_{0};
    std::atomic<bool> paused_{false};
    Resume resume_;
};

// One command's place in its session's count (empty: counted nowhere).
class PendingTicket {
public:
    PendingTicket() = default;
    explicit PendingTicket(std::shared_ptr<PendingCommands> owner) : owner_(std::move(owner)) {}
    PendingTicket(PendingTicket&& other) noexcept = default;
    PendingTicket& operator=(PendingTicket&& other) noexcept {
        if (this != &other) {
            reset();
            owner_ = std::move(other.owner_);
        }
        return *this;
    }
    PendingTicket(const PendingTicket&) = delete;
    PendingTicket& operator=(const PendingTicket&) = delete;
    ~PendingTicket() { reset(); }

    // Gives the count back now (idempotent).
    void reset() {
        if (owner_) std::exchange(owner_, nullptr)->release();
    }

private:
    std::shared_ptr<PendingCommands> owner_;
};

}  // namespace chatd::chat
