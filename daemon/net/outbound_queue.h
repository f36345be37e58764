// OutboundQueue: the frames waiting to be written to one socket, bounded by
// the caller in what they cost (cost()). Frames are shared, never copied (held
// as LoopFrames, counted per loop); a flush writes as many as fit with one
// sendmsg (gather write), which is where fan-out cost is saved. At most one
// pong waits unwritten: a newer one takes its place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "net/loop_frame.h"

namespace chatd::net {

class OutboundQueue {
public:
    enum class FlushResult { Drained, WouldBlock, Error };

    // What holding one frame costs besides its bytes: its control block and
    // string (64 bytes from malloc), its LoopFrame holder (32, shared by the
    // loop's queues), its slot in frames_ (8, up to 16 with the vector's spare
    // room) and the rounding of its buffer. Measured 62-111 bytes with glibc
    // when slots held shared_ptrs (16 bytes); kept as the bound since. An
    // empty pong costs 32 times its 2 bytes.
    static constexpr std::size_t kFrameOverhead = 128;
    static std::size_t costOf(const std::string& frame) { return frame.size() + kFrameOverhead; }

    void push(LoopFrame frame);
    // Queues a pong, or puts it in the place of a pong of which no byte is
    // written yet (RFC 6455 section 5.5.3: only the latest ping needs an answer).
    void pushPong(LoopFrame pong);
    // Writes queued bytes to `fd` until drained or the socket is full.
    FlushResult flush(int fd);
    // Drops every frame not yet started; a partly written frame stays so the
    // byte stream remains well-formed.
    void dropUnstarted();

    // Unwritten bytes.
    std::size_t bytes() const { return bytes_; }
    // Bytes written to the socket so far, in total: a frame pushed when
    // written() + bytes() was N has left the queue once written() reaches N.
    std::uint64_t written() const { return written_; }
    // What the waiting frames cost in memory: their unwritten bytes plus
    // kFrameOverhead each. This is what limits.send_queue_bytes bounds.
    std::size_t cost() const { return bytes_ + (frames_.size() - head_) * kFrameOverhead; }
    bool empty() const { return head_ == frames_.size(); }

private:
    static constexpr std::size_t kNoPong = static_cast<std::size_t>(-1);

    void popFront();

    // A vector used as a FIFO from index `head_` (a std::deque would allocate
    // ~600 bytes even when empty: too much for 19,000 idle connections).
    std::vector<LoopFrame> frames_;
    std::size_t head_ = 0;
    std::size_t head_offset_ = 0;  // bytes of frames_[head_] already written
    std::size_t bytes_ = 0;        // unwritten bytes in total
    std::uint64_t written_ = 0;    // bytes written, ever
    std::size_t pong_ = kNoPong;   // index in frames_ of a pong no byte of which is written
};

}  // namespace chatd::net
