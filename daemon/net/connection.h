// Connection: one upgraded WebSocket on a non-blocking socket, owned by an
// IO loop. It reads and decodes frames, answers pings (one pending pong at
// most), runs the close handshake and keeps a bounded outbound queue;
// messages go to its handler. Only its loop's thread calls it (asserted in
// checked builds).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "net/connection_handler.h"
#include "net/connection_slots.h"
#include "net/outbound_queue.h"
#include "net/shared_frame.h"
#include "util/clock.h"
#include "util/unique_fd.h"
#include "ws/frame_decoder.h"

namespace chatd::net {

class IoLoop;

class Connection {
public:
    Connection(IoLoop& loop, util::UniqueFd fd, std::uint64_t id, std::string peer, std::string early_bytes,
               std::unique_ptr<ConnectionHandler> handler, ConnectionSlot slot);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::uint64_t id() const { return id_; }
    const std::string& peer() const { return peer_; }
    int fd() const { return fd_.get(); }
    IoLoop& loop() const { return loop_; }
    bool isOpen() const { return state_ == State::Open; }
    std::size_t queuedBytes() const { return queue_.bytes(); }
    ConnectionHandler& handler() { return *handler_; }

    // Queues a frame. A queue that would pass send_queue_bytes is written
    // out first; a client that does not read is closed with 1008 "slow
    // consumer" (see the .cpp for when).
    void send(LoopFrame frame);
    // Asks the CPU to fetch what send() touches, ahead of time: a broadcast
    // to a big room calls it a few members ahead of the one it sends to, so
    // the cache misses of touching thousands of connections overlap.
    void prefetchForSend() const {
        __builtin_prefetch(this);
        __builtin_prefetch(&queue_);
        __builtin_prefetch(&state_);
    }
    void sendText(std::string_view payload);
    // Starts the closing handshake with `code` (no-op unless open).
    void close(std::uint16_t code, std::string_view reason);
    // Backpressure: stops decoding and reading the socket (what arrives stays
    // in the kernel, so TCP pushes back on this client alone) until
    // resumeReading(). A paused connection is not pinged nor timed out for a
    // missing pong (it is not read); closing it resumes reading.
    void pauseReading();
    void resumeReading();
    bool readingPaused() const { return reading_paused_; }
    // Flood control: stops reading as pauseReading() does, until `until`
    // (the loop's timer list wakes it; a later hold extends it). Independent
    // of pauseReading(): reading resumes only once neither holds it. A held
    // connection is not timed out for a missing pong; closing ends the hold.
    void holdReadingUntil(util::SteadyTime until);
    bool readingHeld() const { return held_; }

    // --- for the IO loop ---
    void start();                       // after registration: hands early bytes to the decoder
    bool onReadable();                  // false: stopped early (fairness), call again later
    void onWritable();                  // the socket has room again
    void flush();                       // write what is queued, once per loop iteration
    void onTick(util::SteadyTime now);  // keepalive and close deadlines
    // A hold's time came (the loop's timer list, IoLoop::wakeAt).
    void onHoldExpired(util::SteadyTime now);
    bool finished() const { return state_ == State::Finished; }
    bool dirty = false;       // queued in the loop's flush list
    bool read_again = false;  // queued to read on the loop's next iteration (it stopped for fairness)

private:
    enum class State { Open, Closing, Finished };

    void consume(std::string& buffer, std::size_t length, bool buffer_is_scratch, std::size_t& budget);
    bool handleEvent(const ws::DecodedEvent& event);
    void fail(std::uint16_t code, std::string_view reason);
    void closeAsSlowConsumer(const std::string& why);
    // Over send_queue_bytes with a socket that took nothing for a while: a client that does not read.
    bool stalled(util::SteadyTime now) const;
    void finish(std::uint16_t code, std::string_view reason);
    void notifyClosed(std::uint16_t code, std::string_view reason);
    // Ends a hold (if any) and reads again unless paused.
    void releaseHold();
    // Not reading now: paused (backpressure) or held (flood control).
    bool readingStopped() const { return reading_paused_ || held_; }
    void markDirty();
    // Bytes of this connection the client's TCP has acknowledged.
    std::uint64_t bytesAcknowledged() const;
    // Brings the loop's queued_bytes up to date with this queue's size.
    void syncQueued();

    IoLoop& loop_;
    util::UniqueFd fd_;
    std::uint64_t id_;
    std::string peer_;
    std::string pending_;   // bytes of an incomplete frame (usually empty), or a backlog
    bool backlog_ = false;  // pending_ holds whole frames beyond the last wakeup's budget
    bool reading_paused_ = false;  // backpressure (pauseReading())
    bool held_ = false;            // flood control (holdReadingUntil())
    util::SteadyTime held_until_{};
    std::unique_ptr<ConnectionHandler> handler_;
    ConnectionSlot slot_;
    ws::FrameDecoder decoder_;
    OutboundQueue queue_;
    std::size_t reported_queued_ = 0;  // this queue's share of LoopStats::queued_bytes
    State state_ = State::Open;
    bool handler_notified_ = false;
    bool peer_closed_ = false;  // we received the peer's close frame
    bool write_shut_ = false;   // shutdown(SHUT_WR) done after our close frame
    bool awaiting_pong_ = false;
    bool pong_due_ = false;          // a ping awaits its pong (queued at the next flush)
    std::string pong_payload_;       // the latest ping's payload
    bool socket_full_ = false;       // the last write stopped at a full socket, no EPOLLOUT since
    util::SteadyTime last_written_;  // when the socket last took bytes
    util::SteadyTime last_received_;
    util::SteadyTime ping_sent_at_{};  // when the ping left the queue (see onTick)
    std::uint64_t ping_mark_ = 0;  // the ping reached the client once bytesAcknowledged() does (0: it has)
    util::SteadyTime close_deadline_{};
};

}  // namespace chatd::net
