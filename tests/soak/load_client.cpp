#include "load_client.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <stdexcept>

#include "json/json_reader.h"
#include "ws/frame_encoder.h"

namespace chatd::soak {

LoadClient::LoadClient(Reactor& reactor, ClientListener& listener, int id)
    : reactor_(reactor), listener_(listener), id_(id), decoder_(ws::Role::Client, 64 * 1024 * 1024) {}

LoadClient::~LoadClient() {
    if (fd_ >= 0) {
        reactor_.remove(fd_);
        ::close(fd_);
    }
}

bool LoadClient::start(const sockaddr_in& server, const sockaddr_in* source, int receive_buffer,
                       const std::string& protocol) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        finish(1006, std::string("socket: ") + std::strerror(errno));
        return false;
    }
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (source && ::bind(fd_, reinterpret_cast<const sockaddr*>(source), sizeof *source) != 0) {
        finish(1006, std::string("bind: ") + std::strerror(errno));
        return false;
    }
    request_ =
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    if (!protocol.empty()) request_ += "Sec-WebSocket-Protocol: " + protocol + "\r\n";
    request_ += "\r\n";
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 && errno != EINPROGRESS) {
        finish(1006, std::string("connect: ") + std::strerror(errno));
        return false;
    }
    interest_ = EPOLLOUT;
    reactor_.set(fd_, interest_, this, true);
    return true;
}

void LoadClient::onEvents(std::uint32_t events) {
    if (state_ == State::Closed) return;
    if (state_ == State::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) return finish(1006, std::string("connect: ") + std::strerror(error));
        state_ = State::Handshaking;
        out_ = std::move(request_);
        flush();
        return;
    }
    if (events & EPOLLOUT) onWritable();
    if (state_ != State::Closed && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) onReadable();
}

void LoadClient::onWritable() { flush(); }

void LoadClient::onReadable() {
    if (!reading_) return;
    char buffer[64 * 1024];
    for (int round = 0; round < 4 && state_ != State::Closed; ++round) {
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
            in_.append(buffer, static_cast<std::size_t>(n));
            if (state_ == State::Handshaking && !parseHandshake()) return;
            if (state_ == State::Open || state_ == State::Closing) decodeFrames();
            if (static_cast<std::size_t>(n) < sizeof buffer) return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n < 0 && errno == EINTR) continue;
        // EOF or reset: the connection is over.
        return finish(close_code_ ? close_code_ : 1006, n < 0 ? std::string("recv: ") + std::strerror(errno) : "");
    }
}

// Reads the response head; false when the upgrade failed (the client is closed).
bool LoadClient::parseHandshake() {
    const auto end = in_.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (in_.size() < 16 * 1024) return true;  // wait for the rest
        finish(1006, "response head too long");
        return false;
    }
    if (in_.compare(0, 12, "HTTP/1.1 101") != 0) {
        finish(1006, "upgrade refused: " + in_.substr(0, in_.find("\r\n")));
        return false;
    }
    in_.erase(0, end + 4);
    state_ = State::Open;
    listener_.onOpen(*this);
    return state_ != State::Closed;
}

void LoadClient::decodeFrames() {
    std::size_t offset = 0;
    while (state_ != State::Closed && offset < in_.size()) {
        std::size_t consumed = 0;
        ws::DecodedEvent event;
        ws::DecodeError error;
        const auto status =
            decoder_.next(std::span<char>(in_.data() + offset, in_.size() - offset), consumed, event, error);
        if (status == ws::DecodeStatus::Error) return finish(1006, "bad frame from server: " + error.reason);
        if (status == ws::DecodeStatus::NeedMore) {
            offset += consumed;
            break;
        }
        using Kind = ws::DecodedEvent::Kind;
        switch (event.kind) {
            case Kind::Text: {
                if (discarding_) break;
                std::string parse_error;
                auto value = json::parse(event.payload, parse_error);
                if (!value) return finish(1006, "server sent non-JSON text: " + parse_error);
                listener_.onJson(*this, *value);
                break;
            }
            case Kind::Binary:
                if (!discarding_) listener_.onBinary(*this, event.payload);
                break;
            case Kind::Ping:
                sendRaw(ws::encodeClientFrame(ws::Opcode::Pong, event.payload));
                break;
            case Kind::Pong:
                break;
            case Kind::Close:
                if (close_code_ == 0) close_code_ = event.close_code;
                if (!sent_close_) {
                    sent_close_ = true;
                    sendRaw(ws::encodeClientFrame(ws::Opcode::Close, std::string(event.payload.substr(0, 2))));
                }
                state_ = State::Closing;  // the server closes the TCP connection next
                break;
        }
        offset += consumed;
    }
    in_.erase(0, offset);
}

void LoadClient::sendText(std::string_view text) { sendRaw(ws::encodeClientFrame(ws::Opcode::Text, text)); }

void LoadClient::sendRaw(std::string bytes) {
    if (state_ == State::Closed || state_ == State::Connecting) return;
    if (out_offset_ == out_.size()) {
        out_.clear();
        out_offset_ = 0;
    }
    out_ += bytes;
    flush();
}

void LoadClient::flush() {
    while (out_offset_ < out_.size()) {
        const ssize_t n = ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
        if (n > 0) {
            out_offset_ += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n < 0 && errno == EINTR) continue;
        return finish(close_code_ ? close_code_ : 1006, std::string("send: ") + std::strerror(errno));
    }
    updateInterest();
}

void LoadClient::closeCleanly(std::uint16_t code) {
    if (state_ != State::Open || sent_close_) return;
    sent_close_ = true;
    const char payload[2] = {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
    sendRaw(ws::encodeClientFrame(ws::Opcode::Close, std::string_view(payload, 2)));
    state_ = State::Closing;
}

void LoadClient::abort() {
    if (state_ != State::Closed) finish(close_code_ ? close_code_ : 1006);
}

void LoadClient::setReading(bool reading) {
    reading_ = reading;
    if (state_ != State::Closed) updateInterest();
    if (reading && state_ != State::Closed && state_ != State::Connecting) onReadable();
}

void LoadClient::updateInterest() {
    if (state_ == State::Closed || state_ == State::Connecting) return;
    std::uint32_t wanted = reading_ ? static_cast<std::uint32_t>(EPOLLIN) : 0u;
    if (out_offset_ < out_.size()) wanted |= EPOLLOUT;
    if (wanted != interest_) {
        interest_ = wanted;
        reactor_.set(fd_, interest_, this, false);
    }
}

void LoadClient::finish(std::uint16_t code, std::string error) {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    if (close_code_ == 0) close_code_ = code;
    if (error_.empty()) error_ = std::move(error);
    if (fd_ >= 0) {
        reactor_.remove(fd_);
        ::close(fd_);
        fd_ = -1;
    }
    listener_.onClosed(*this);
}

Reactor::Reactor() : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
}

Reactor::~Reactor() { ::close(epoll_fd_); }

void Reactor::set(int fd, std::uint32_t events, LoadClient* client, bool added) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = client;
    ::epoll_ctl(epoll_fd_, added ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

void Reactor::remove(int fd) { ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

bool Reactor::runUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    epoll_event events[256];
    while (!done()) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left <= std::chrono::milliseconds(0)) return false;
        const int wait_ms = static_cast<int>(
            std::min<long long>(50, std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1));
        const int n = ::epoll_wait(epoll_fd_, events, 256, wait_ms);
        for (int i = 0; i < n; ++i) static_cast<LoadClient*>(events[i].data.ptr)->onEvents(events[i].events);
    }
    return true;
}

}  // namespace chatd::soak
