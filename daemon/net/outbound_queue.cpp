#include "net/outbound_queue.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace chatd::net {

namespace {
constexpr std::size_t kMaxIov = 64;
}

void OutboundQueue::push(LoopFrame frame) {
    if (head_ >= 64 && head_ * 2 >= frames_.size()) {  // reclaim the consumed prefix
        frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
        if (pong_ != kNoPong) pong_ -= head_;
        head_ = 0;
    }
    bytes_ += frame->size();
    frames_.push_back(std::move(frame));
}

void OutboundQueue::pushPong(LoopFrame pong) {
    const bool replaceable = pong_ != kNoPong && !(pong_ == head_ && head_offset_ > 0);
    if (replaceable) {
        bytes_ = bytes_ - frames_[pong_]->size() + pong->size();
        frames_[pong_] = std::move(pong);
        return;
    }
    push(std::move(pong));
    pong_ = frames_.size() - 1;
}

void OutboundQueue::popFront() {
    if (pong_ == head_) pong_ = kNoPong;
    frames_[head_].reset();
    ++head_;
    head_offset_ = 0;
    if (head_ == frames_.size()) {
        frames_.clear();
        head_ = 0;
        if (frames_.capacity() > 256) frames_.shrink_to_fit();  // after a burst, give memory back
    }
}

OutboundQueue::FlushResult OutboundQueue::flush(int fd) {
    while (!empty()) {
        iovec iov[kMaxIov];
        std::size_t count = 0;
        for (std::size_t i = head_; i < frames_.size() && count < kMaxIov; ++i, ++count) {
            const std::size_t skip = count == 0 ? head_offset_ : 0;
            iov[count].iov_base = const_cast<char*>(frames_[i]->data() + skip);
            iov[count].iov_len = frames_[i]->size() - skip;
        }
        // sendmsg rather than writev: MSG_NOSIGNAL turns a vanished peer into
        // EPIPE instead of a SIGPIPE that would kill an embedding process.
        msghdr message{};
        message.msg_iov = iov;
        message.msg_iovlen = count;
        const ssize_t written = ::sendmsg(fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return FlushResult::WouldBlock;
            return FlushResult::Error;
        }
        std::size_t left = static_cast<std::size_t>(written);
        bytes_ -= left;
        written_ += left;
        while (left > 0) {
            const std::size_t rest = frames_[head_]->size() - head_offset_;
            if (left < rest) {
                head_offset_ += left;
                return FlushResult::WouldBlock;  // partial write: the socket is full
            }
            left -= rest;
            popFront();
        }
    }
    return FlushResult::Drained;
}

void OutboundQueue::dropUnstarted() {
    LoopFrame head = (!empty() && head_offset_ > 0) ? frames_[head_] : LoopFrame{};
    const std::size_t offset = head_offset_;
    frames_.clear();
    head_ = 0;
    head_offset_ = 0;
    bytes_ = 0;
    pong_ = kNoPong;
    if (head) {
        bytes_ = head->size() - offset;
        head_offset_ = offset;
        frames_.push_back(std::move(head));
    }
}

}  // namespace chatd::net
