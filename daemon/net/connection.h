// Connection: one upgraded WebSocket on a non-blocking socket, owned by an
// IO loop. It reads and decodes frames, answers pings, runs the close
// handshake and keeps a bounded outbound queue; messages go to its handler.
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

    // Queues a frame; a client whose queue would pass send_queue_bytes is
    // closed with 1008 "slow consumer" instead.
    void send(SharedFrame frame);
    void sendText(std::string_view payload);
    // Starts the closing handshake with `code` (no-op unless open).
    void close(std::uint16_t code, std::string_view reason);

    // --- for the IO loop ---
    void start();       // after registration: hands early bytes to the decoder
    bool onReadable();  // false: stopped early (fairness), call again later
    void onWritable();
    void flush();                       // write what is queued, once per loop iteration
    void onTick(util::SteadyTime now);  // keepalive and close deadlines
    bool finished() const { return state_ == State::Finished; }
    bool dirty = false;         // queued in the loop's flush list
    bool read_again = false;    // queued to read on the loop's next iteration (it stopped for fairness)
    std::size_t room_slot = 0;  // index in a loop-local room list (chat layer)

private:
    enum class State { Open, Closing, Finished };

    std::size_t consume(std::string& buffer, std::size_t length, bool buffer_is_scratch);
    bool handleEvent(const ws::DecodedEvent& event);
    void fail(std::uint16_t code, std::string_view reason);
    void finish(std::uint16_t code, std::string_view reason);
    void notifyClosed(std::uint16_t code, std::string_view reason);
    void markDirty();
    // Brings the loop's queued_bytes up to date with this queue's size.
    void syncQueued();

    IoLoop& loop_;
    util::UniqueFd fd_;
    std::uint64_t id_;
    std::string peer_;
    std::string pending_;  // bytes of an incomplete frame (usually empty)
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
    util::SteadyTime last_received_;
    util::SteadyTime ping_sent_at_{};
    util::SteadyTime close_deadline_{};
};

}  // namespace chatd::net
