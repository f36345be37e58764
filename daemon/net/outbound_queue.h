// OutboundQueue: the frames waiting to be written to one socket, bounded in
// bytes by the caller. Frames are shared (never copied); a flush writes as
// many as fit with one sendmsg (gather write), which is where fan-out cost is saved.
#pragma once

#include <cstddef>
#include <vector>

#include "net/shared_frame.h"

namespace chatd::net {

class OutboundQueue {
public:
    enum class FlushResult { Drained, WouldBlock, Error };

    void push(SharedFrame frame);
    // Writes queued bytes to `fd` until drained or the socket is full.
    FlushResult flush(int fd);
    // Drops every frame not yet started; a partly written frame stays so the
    // byte stream remains well-formed.
    void dropUnstarted();

    std::size_t bytes() const { return bytes_; }
    bool empty() const { return head_ == frames_.size(); }

private:
    void popFront();

    // A vector used as a FIFO from index `head_` (a std::deque would allocate
    // ~600 bytes even when empty: too much for 19,000 idle connections).
    std::vector<SharedFrame> frames_;
    std::size_t head_ = 0;
    std::size_t head_offset_ = 0;  // bytes of frames_[head_] already written
    std::size_t bytes_ = 0;        // unwritten bytes in total
};

}  // namespace chatd::net
