#include "net/connection.h"

#include <linux/sockios.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/io_loop.h"
#include "ws/frame_encoder.h"

namespace chatd::net {

namespace {
// Fairness: a flooding client yields after this many reads, or after this
// many frames (tiny frames cost far more per byte: a ping flood).
constexpr int kReadsPerWakeup = 4;
constexpr std::size_t kFramesPerWakeup = 256;
// A queue may pass limits.send_queue_bytes while its client reads (a burst
// on its way out), up to this many times the limit and never further.
constexpr std::size_t kBurstFactor = 4;
// Over limits.send_queue_bytes, a client whose socket took nothing for this long does not read.
constexpr auto kStallLimit = std::chrono::seconds(2);
}  // namespace

Connection::Connection(IoLoop& loop, util::UniqueFd fd, std::uint64_t id, std::string peer, std::string early_bytes,
                       std::unique_ptr<ConnectionHandler> handler, ConnectionSlot slot)
    : loop_(loop),
      fd_(std::move(fd)),
      id_(id),
      peer_(std::move(peer)),
      pending_(std::move(early_bytes)),
      handler_(std::move(handler)),
      slot_(std::move(slot)),
      decoder_(ws::Role::Server, loop.settings().max_message_bytes),
      last_written_(util::steadyNow()),
      last_received_(last_written_) {}

Connection::~Connection() {
    if (reading_paused_) subtractFromLoop(loop_.stats().paused_connections, 1);
    if (held_) subtractFromLoop(loop_.stats().held_connections, 1);
    subtractFromLoop(loop_.stats().queued_bytes, static_cast<std::int64_t>(reported_queued_));
}

void Connection::syncQueued() {
    const std::size_t now = queue_.bytes();
    addFromLoop(loop_.stats().queued_bytes, static_cast<std::int64_t>(now) - static_cast<std::int64_t>(reported_queued_));
    reported_queued_ = now;
}

void Connection::start() {
    loop_.assertLoopThread();
    handler_->onOpen(*this);
    // Bytes that arrived with the upgrade request; an incomplete frame stays in pending_.
    std::size_t unlimited = static_cast<std::size_t>(-1);  // bounded by what Poco had read
    if (!pending_.empty()) consume(pending_, pending_.size(), false, unlimited);
}

void Connection::markDirty() {
    if (!dirty) loop_.markDirty(*this);
}

// Slow means not reading, not "not yet written to": a queue about to pass
// send_queue_bytes is written out at once (the kernel takes what the client
// has room for), not judged. Past the limit it may grow only while the client
// takes bytes (onTick closes one whose socket stays full), and never beyond
// kBurstFactor times the limit: memory stays bounded whatever arrives at once.
void Connection::send(LoopFrame frame) {
    loop_.assertLoopThread();
    if (state_ != State::Open) return;
    const std::size_t limit = loop_.settings().send_queue_bytes;
    const std::size_t cost = OutboundQueue::costOf(*frame);
    // At the hard bound, write even if the socket was full: it may have room
    // by now (its EPOLLOUT not handled yet). Judged only after that.
    if (queue_.cost() + cost > limit * kBurstFactor || (queue_.cost() + cost > limit && !socket_full_)) {
        flush();
        if (state_ != State::Open) return;
    }
    if (queue_.cost() + cost > limit * kBurstFactor) {
        closeAsSlowConsumer("its send queue would exceed " + std::to_string(kBurstFactor) +
                            " x limits.send_queue_bytes (" + std::to_string(limit * kBurstFactor) +
                            " bytes) with its socket full");
        return;
    }
    queue_.push(std::move(frame));
    syncQueued();
    markDirty();
}

void Connection::sendText(std::string_view payload) { send(makeFrame(ws::Opcode::Text, payload)); }

void Connection::close(std::uint16_t code, std::string_view reason) {
    loop_.assertLoopThread();
    if (state_ != State::Open) return;
    state_ = State::Closing;
    close_deadline_ = util::steadyNow() + loop_.settings().close_timeout;
    queue_.dropUnstarted();  // a closing client gets no more chat, only the close frame
    resumeReading();         // the peer's close frame (or EOF) must be seen
    releaseHold();
    queue_.push(std::make_shared<const std::string>(ws::encodeCloseFrame(code, reason)));
    syncQueued();
    markDirty();
    notifyClosed(code, reason);
}

void Connection::pauseReading() {
    loop_.assertLoopThread();
    if (state_ != State::Open || reading_paused_) return;
    reading_paused_ = true;
    addFromLoop(loop_.stats().paused_connections, 1);
}

// What waits in pending_ and in the kernel is read on the loop's next
// iteration (no new edge of the socket may come to trigger it).
void Connection::resumeReading() {
    loop_.assertLoopThread();
    if (!reading_paused_) return;
    reading_paused_ = false;
    subtractFromLoop(loop_.stats().paused_connections, 1);
    if (state_ != State::Finished && !held_) loop_.readAgain(*this);
}

void Connection::holdReadingUntil(util::SteadyTime until) {
    loop_.assertLoopThread();
    if (state_ != State::Open) return;
    if (!held_) {
        held_ = true;
        held_until_ = until;
        addFromLoop(loop_.stats().held_connections, 1);
    } else if (until > held_until_) {
        held_until_ = until;
    } else {
        return;  // already held at least that long (its timer is set)
    }
    loop_.wakeAt(until, id_);
}

// An earlier timer of a hold since extended finds it not due yet: the later one ends it.
void Connection::onHoldExpired(util::SteadyTime now) {
    loop_.assertLoopThread();
    if (held_ && now >= held_until_) releaseHold();
}

void Connection::releaseHold() {
    if (!held_) return;
    held_ = false;
    subtractFromLoop(loop_.stats().held_connections, 1);
    if (state_ != State::Finished && !reading_paused_) loop_.readAgain(*this);
}

void Connection::notifyClosed(std::uint16_t code, std::string_view reason) {
    if (handler_notified_) return;
    handler_notified_ = true;
    handler_->onClose(*this, code, reason);
}

void Connection::closeAsSlowConsumer(const std::string& why) {
    addFromLoop(loop_.stats().slow_consumer_closes, 1);
    loop_.reportLimit(LoopLimit::SlowConsumer, "closed ws " + std::to_string(id_) + " " + peer_ + ": " + why);
    close(ws::close_code::PolicyViolation, "slow consumer");
}

// A protocol violation: close with `code` and stop reading the peer's data.
void Connection::fail(std::uint16_t code, std::string_view reason) { close(code, reason); }

// Ends the connection now: the IO loop destroys it at the end of this iteration.
void Connection::finish(std::uint16_t code, std::string_view reason) {
    if (state_ == State::Finished) return;
    notifyClosed(code, reason);
    state_ = State::Finished;
    loop_.scheduleRemoval(*this);
}

bool Connection::onReadable() {
    loop_.assertLoopThread();
    if (state_ == State::Finished || readingStopped()) return true;  // resumeReading()/releaseHold() ask again
    std::size_t budget = kFramesPerWakeup;
    if (backlog_) {  // whole frames left over from the last wakeup go first
        consume(pending_, pending_.size(), false, budget);
        if (state_ == State::Finished || readingStopped()) return true;
        if (backlog_) return false;
    }
    std::string& scratch = loop_.scratch();
    for (int round = 0; round < kReadsPerWakeup; ++round) {
        const ssize_t n = ::read(fd_.get(), scratch.data(), scratch.size());
        if (n > 0) {
            addFromLoop(loop_.stats().bytes_received, static_cast<std::uint64_t>(n));
            last_received_ = util::steadyNow();
            awaiting_pong_ = false;
            if (pending_.empty()) {
                consume(scratch, static_cast<std::size_t>(n), true, budget);
            } else {
                pending_.append(scratch.data(), static_cast<std::size_t>(n));
                consume(pending_, pending_.size(), false, budget);
            }
            if (state_ == State::Finished || readingStopped()) return true;
            if (backlog_) return false;  // the frame budget is spent; the rest waits in pending_
            continue;
        }
        if (n == 0) {  // the peer closed TCP
            finish(ws::close_code::Abnormal, peer_closed_ ? "closed" : "connection lost");
            return true;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        finish(ws::close_code::Abnormal, "read error");
        return true;
    }
    return false;
}

// Decodes complete events in buffer[0, length), at most `budget` of them
// (counted down); keeps the rest in pending_ (copied out of the loop's
// scratch buffer when needed): an incomplete frame, or whole ones beyond the
// budget (backlog_).
void Connection::consume(std::string& buffer, std::size_t length, bool buffer_is_scratch, std::size_t& budget) {
    std::size_t offset = 0;
    backlog_ = false;
    decoder_.setMaxMessageBytes(loop_.settings().max_message_bytes);
    while (offset < length && state_ != State::Finished) {
        if (budget == 0 || readingStopped()) {
            backlog_ = true;
            break;
        }
        std::size_t used = 0;
        ws::DecodedEvent event;
        ws::DecodeError error;
        const auto status = decoder_.next(std::span<char>(buffer.data() + offset, length - offset), used, event, error);
        if (status == ws::DecodeStatus::Error) {
            spdlog::debug("ws {} {}: protocol error {}: {}", id_, peer_, error.close_code, error.reason);
            if (error.close_code == ws::close_code::TooBig) {
                addFromLoop(loop_.stats().too_large_closes, 1);
                loop_.reportLimit(LoopLimit::MessageSize,
                                  "closed ws " + std::to_string(id_) + " " + peer_ + ": " + error.reason + " (limit " +
                                      std::to_string(loop_.settings().max_message_bytes) + " bytes)");
            }
            fail(error.close_code, error.reason);
            offset = length;
            break;
        }
        offset += used;
        if (status == ws::DecodeStatus::NeedMore) break;
        --budget;
        if (!handleEvent(event)) {
            offset = length;
            break;
        }
    }
    if (buffer_is_scratch) {
        if (offset < length) pending_.assign(buffer.data() + offset, length - offset);
    } else {
        buffer.erase(0, offset);
        if (buffer.empty()) std::string().swap(buffer);  // release the memory of a big frame
    }
}

// Returns false when the connection stopped reading (closing or failed).
bool Connection::handleEvent(const ws::DecodedEvent& event) {
    using Kind = ws::DecodedEvent::Kind;
    switch (event.kind) {
        case Kind::Text:
        case Kind::Binary:
            if (state_ == State::Open) handler_->onMessage(*this, event.kind == Kind::Binary, event.payload);
            return true;
        case Kind::Ping:  // answered at the flush: a flood of pings gets one pong
            if (state_ == State::Open) {
                pong_payload_.assign(event.payload);
                pong_due_ = true;
                markDirty();
            }
            return true;
        case Kind::Pong:
            awaiting_pong_ = false;
            return true;
        case Kind::Close:
            peer_closed_ = true;
            if (state_ == State::Open) {
                // Echo the peer's code, as RFC 6455 section 5.5.1 asks.
                const std::uint16_t code =
                    event.close_code == ws::close_code::NoStatus ? ws::close_code::Normal : event.close_code;
                notifyClosed(event.close_code, "closed by the client");  // what the log says
                close(code, "");
            } else if (queue_.empty()) {
                finish(event.close_code, "closed");
            }
            return false;
    }
    return true;
}

void Connection::onWritable() {
    socket_full_ = false;
    markDirty();
}

void Connection::flush() {
    loop_.assertLoopThread();
    if (state_ == State::Finished) return;
    if (pong_due_) {
        pong_due_ = false;
        if (state_ == State::Open) queue_.pushPong(makeFrame(ws::Opcode::Pong, pong_payload_));
    }
    const std::size_t before = queue_.bytes();
    const auto result = queue_.flush(fd_.get());
    const std::size_t written = before - queue_.bytes();
    addFromLoop(loop_.stats().bytes_sent, written);
    if (written > 0) last_written_ = util::steadyNow();
    socket_full_ = result == OutboundQueue::FlushResult::WouldBlock;
    syncQueued();
    if (result == OutboundQueue::FlushResult::Error) {
        finish(ws::close_code::Abnormal, "write error");
        return;
    }
    if (result == OutboundQueue::FlushResult::Drained && state_ == State::Closing) {
        if (peer_closed_) {
            finish(ws::close_code::Normal, "closed");
        } else if (!write_shut_) {
            // Our close frame is out; wait (bounded) for the peer's close or EOF,
            // reading meanwhile so that unread input cannot turn our close into a reset.
            ::shutdown(fd_.get(), SHUT_WR);
            write_shut_ = true;
        }
    }
}

bool Connection::stalled(util::SteadyTime now) const {
    return socket_full_ && queue_.cost() > loop_.settings().send_queue_bytes && now - last_written_ >= kStallLimit;
}

// Bytes the client's TCP has acknowledged: what this queue wrote minus
// what the kernel still holds for the socket (SIOCOUTQ: unsent + unacked).
std::uint64_t Connection::bytesAcknowledged() const {
    int in_kernel = 0;
    if (::ioctl(fd_.get(), SIOCOUTQ, &in_kernel) != 0 || in_kernel < 0) in_kernel = 0;
    const auto held = static_cast<std::uint64_t>(in_kernel);
    return queue_.written() > held ? queue_.written() - held : 0;
}

void Connection::onTick(util::SteadyTime now) {
    loop_.assertLoopThread();
    if (state_ == State::Closing) {
        if (now >= close_deadline_) finish(ws::close_code::Abnormal, "close timeout");
        return;
    }
    if (state_ != State::Open) return;
    const auto& settings = loop_.settings();
    if (stalled(now)) {
        flush();  // write before judging: the socket may have room by now
        if (state_ != State::Open || !stalled(now)) return;
        closeAsSlowConsumer("its send queue stayed over limits.send_queue_bytes (" +
                            std::to_string(settings.send_queue_bytes) + " bytes) while its socket took nothing for " +
                            std::to_string(kStallLimit.count()) + " s");
        return;
    }
    if (readingStopped()) {  // its pongs wait unread behind its messages: no keepalive while paused or held
        last_received_ = now;
        awaiting_pong_ = false;
        ping_mark_ = 0;
        return;
    }
    if (awaiting_pong_) {
        // A ping behind a backlog (in this queue or the kernel's) has not
        // reached the client yet: its pong deadline starts when it has, so a
        // client draining a long backlog is not timed out (up to a tick late).
        if (ping_mark_ != 0) {
            if (bytesAcknowledged() < ping_mark_) ping_sent_at_ = now;
            else ping_mark_ = 0;
        } else if (now - ping_sent_at_ >= settings.ping_timeout) {
            spdlog::debug("ws {} {}: no pong within {} ms", id_, peer_, settings.ping_timeout.count());
            finish(ws::close_code::Abnormal, "ping timeout");
        }
    } else if (now - last_received_ >= settings.ping_interval) {
        awaiting_pong_ = true;
        ping_sent_at_ = now;
        send(makeFrame(ws::Opcode::Ping, ""));
        ping_mark_ = queue_.written() + queue_.bytes();
    }
}

}  // namespace chatd::net
