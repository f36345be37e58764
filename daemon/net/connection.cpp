#include "net/connection.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/io_loop.h"
#include "ws/frame_encoder.h"

namespace chatd::net {

namespace {
// Fairness: a flooding client yields after this many reads, or sooner once it
// sent this many frames (tiny frames cost per frame, not per byte).
constexpr int kReadsPerWakeup = 4;
constexpr std::size_t kEventsPerWakeup = 4096;
}

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
      last_received_(util::steadyNow()) {}

Connection::~Connection() {
    loop_.stats().queued_bytes.fetch_sub(static_cast<std::int64_t>(reported_queued_), std::memory_order_relaxed);
}

void Connection::syncQueued() {
    const std::size_t now = queue_.bytes();
    loop_.stats().queued_bytes.fetch_add(static_cast<std::int64_t>(now) - static_cast<std::int64_t>(reported_queued_),
                                         std::memory_order_relaxed);
    reported_queued_ = now;
}

void Connection::start() {
    handler_->onOpen(*this);
    // Bytes that arrived with the upgrade request; an incomplete frame stays in pending_.
    if (!pending_.empty()) consume(pending_, pending_.size(), false);
}

void Connection::markDirty() {
    if (!dirty) loop_.markDirty(*this);
}

void Connection::send(SharedFrame frame) {
    if (state_ != State::Open) return;
    if (queue_.bytes() + frame->size() > loop_.settings().send_queue_bytes) {
        loop_.stats().slow_consumer_closes.fetch_add(1, std::memory_order_relaxed);
        loop_.reportLimit(LoopLimit::SlowConsumer, "closed ws " + std::to_string(id_) + " " + peer_ +
                                                       ": its send queue would exceed " +
                                                       std::to_string(loop_.settings().send_queue_bytes) + " bytes");
        close(ws::close_code::PolicyViolation, "slow consumer");
        return;
    }
    queue_.push(std::move(frame));
    syncQueued();
    markDirty();
}

void Connection::sendText(std::string_view payload) { send(makeFrame(ws::Opcode::Text, payload)); }

void Connection::close(std::uint16_t code, std::string_view reason) {
    if (state_ != State::Open) return;
    state_ = State::Closing;
    close_deadline_ = util::steadyNow() + loop_.settings().close_timeout;
    queue_.dropUnstarted();  // a closing client gets no more chat, only the close frame
    queue_.push(std::make_shared<const std::string>(ws::encodeCloseFrame(code, reason)));
    syncQueued();
    markDirty();
    notifyClosed(code, reason);
}

void Connection::notifyClosed(std::uint16_t code, std::string_view reason) {
    if (handler_notified_) return;
    handler_notified_ = true;
    handler_->onClose(*this, code, reason);
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
    if (state_ == State::Finished) return true;
    std::string& scratch = loop_.scratch();
    std::size_t events = 0;
    for (int round = 0; round < kReadsPerWakeup && events < kEventsPerWakeup; ++round) {
        const ssize_t n = ::read(fd_.get(), scratch.data(), scratch.size());
        if (n > 0) {
            loop_.stats().bytes_received.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
            last_received_ = util::steadyNow();
            awaiting_pong_ = false;
            if (pending_.empty()) {
                events += consume(scratch, static_cast<std::size_t>(n), true);
            } else {
                pending_.append(scratch.data(), static_cast<std::size_t>(n));
                events += consume(pending_, pending_.size(), false);
            }
            if (state_ == State::Finished) return true;
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

// Decodes every complete event in buffer[0, length); keeps an incomplete tail
// in pending_ (copied out of the loop's scratch buffer when needed). Returns
// how many events it handled.
std::size_t Connection::consume(std::string& buffer, std::size_t length, bool buffer_is_scratch) {
    std::size_t offset = 0, events = 0;
    decoder_.setMaxMessageBytes(loop_.settings().max_message_bytes);
    while (offset < length && state_ != State::Finished) {
        std::size_t used = 0;
        ws::DecodedEvent event;
        ws::DecodeError error;
        const auto status = decoder_.next(std::span<char>(buffer.data() + offset, length - offset), used, event, error);
        if (status == ws::DecodeStatus::Error) {
            spdlog::debug("ws {} {}: protocol error {}: {}", id_, peer_, error.close_code, error.reason);
            if (error.close_code == ws::close_code::TooBig) {
                loop_.stats().too_large_closes.fetch_add(1, std::memory_order_relaxed);
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
        ++events;
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
    return events;
}

// Returns false when the connection stopped reading (closing or failed).
bool Connection::handleEvent(const ws::DecodedEvent& event) {
    using Kind = ws::DecodedEvent::Kind;
    switch (event.kind) {
        case Kind::Text:
        case Kind::Binary:
            if (state_ == State::Open) handler_->onMessage(*this, event.kind == Kind::Binary, event.payload);
            return true;
        case Kind::Ping:
            if (state_ == State::Open) send(makeFrame(ws::Opcode::Pong, event.payload));
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

void Connection::onWritable() { markDirty(); }

void Connection::flush() {
    if (state_ == State::Finished) return;
    const std::size_t before = queue_.bytes();
    const auto result = queue_.flush(fd_.get());
    loop_.stats().bytes_sent.fetch_add(before - queue_.bytes(), std::memory_order_relaxed);
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

void Connection::onTick(util::SteadyTime now) {
    if (state_ == State::Closing) {
        if (now >= close_deadline_) finish(ws::close_code::Abnormal, "close timeout");
        return;
    }
    if (state_ != State::Open) return;
    const auto& settings = loop_.settings();
    if (awaiting_pong_) {
        if (now - ping_sent_at_ >= settings.ping_timeout) {
            spdlog::debug("ws {} {}: no pong within {} ms", id_, peer_, settings.ping_timeout.count());
            finish(ws::close_code::Abnormal, "ping timeout");
        }
    } else if (now - last_received_ >= settings.ping_interval) {
        awaiting_pong_ = true;
        ping_sent_at_ = now;
        send(makeFrame(ws::Opcode::Ping, ""));
    }
}

}  // namespace chatd::net
