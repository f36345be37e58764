// Worker: reading, frame parsing and writing for its clients.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "handshake.h"
#include "proc_stats.h"
#include "sockets.h"
#include "worker.h"

namespace chatd::bench {

namespace {
constexpr std::size_t kMaxFramePayload = 64u << 20;  // a welcome at 19,000 users is a few hundred KB

std::uint16_t closeCodeOf(std::string_view payload) {
    if (payload.size() < 2) return 1005;
    return static_cast<std::uint16_t>(static_cast<std::uint8_t>(payload[0]) << 8 | static_cast<std::uint8_t>(payload[1]));
}
}  // namespace

void Worker::onEvent(Client& client, std::uint32_t events) {
    if (client.state == Client::State::Connecting) {
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
        const std::string failure = connectResult(client.fd);
        if (!failure.empty()) {
            failClient(client, failure);
            return;
        }
        beginHandshake(client);
    }
    if ((events & EPOLLOUT) && !client.dirty && client.fd >= 0) {
        client.dirty = true;
        dirty_.push_back(&client);
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) readFrom(client);
}

void Worker::readFrom(Client& client) {
    while (client.fd >= 0) {
        const ssize_t n = ::read(client.fd, read_buffer_.data(), read_buffer_.size());
        if (n > 0) {
            const auto size = static_cast<std::size_t>(n);
            const std::int64_t now = monotonicNs();
            if (client.state == Client::State::Handshaking) {
                client.in.append(read_buffer_.data(), size);
                parseHandshake(client);
            } else if (client.in.empty()) {
                const std::string_view data(read_buffer_.data(), size);
                const std::size_t used = parseFrames(client, data, now);
                if (used < size && client.fd >= 0) client.in.assign(data.substr(used));
            } else {
                client.in.append(read_buffer_.data(), size);
                const std::size_t used = parseFrames(client, client.in, now);
                if (client.fd >= 0) client.in.erase(0, used);
            }
            if (size < read_buffer_.size()) return;  // drained for now (edge-triggered: a new edge comes with new data)
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        const std::string cause = n == 0 ? "eof" : "read: " + errnoName(errno);
        if (client.state == Client::State::Handshaking)
            failClient(client, n == 0 ? "closed during handshake" : cause);
        else
            loseClient(client, n == 0 ? "eof without close frame" : cause);
        return;
    }
}

void Worker::parseHandshake(Client& client) {
    const UpgradeResponse response = parseUpgradeResponse(client.in, client.key, options_.protocol);
    if (response.status == UpgradeResponse::Status::NeedMore) return;
    if (response.status == UpgradeResponse::Status::Refused) {
        failClient(client, response.failure);
        return;
    }
    client.in.erase(0, response.header_bytes);
    onOpened(client);
    if (!client.in.empty()) {
        const std::size_t used = parseFrames(client, client.in, monotonicNs());
        if (client.fd >= 0) client.in.erase(0, used);
    }
}

// Handles every complete frame in `data`; returns the bytes used.
std::size_t Worker::parseFrames(Client& client, std::string_view data, std::int64_t now) {
    std::size_t offset = 0;
    while (offset < data.size()) {
        ServerFrame frame;
        std::size_t used = 0;
        std::string error;
        const ParseStatus status = parseServerFrame(data.substr(offset), kMaxFramePayload, used, frame, error);
        if (status == ParseStatus::NeedMore) break;
        if (status == ParseStatus::Error) {
            loseClient(client, "protocol error: " + error);
            return data.size();
        }
        offset += used;
        if (!onFrame(client, frame, now)) return data.size();
    }
    return offset;
}

// Returns false when the connection ended (a close frame).
bool Worker::onFrame(Client& client, const ServerFrame& frame, std::int64_t now) {
    switch (frame.opcode) {
        case Opcode::Text:
        case Opcode::Binary:
            if (frame.fin) {
                onMessage(client, frame.payload, now);
            } else {
                client.fragments.assign(frame.payload);
            }
            return true;
        case Opcode::Continuation:
            client.fragments.append(frame.payload);
            if (frame.fin) {
                onMessage(client, client.fragments, now);
                std::string().swap(client.fragments);
            }
            return true;
        case Opcode::Ping:
            queueFrame(client, Opcode::Pong, frame.payload);
            return true;
        case Opcode::Pong:
            return true;
        case Opcode::Close: {
            if (client.state == Client::State::Closing) {  // the answer to a churner's close
                finishLeave(client);
                return false;
            }
            const std::uint16_t code = closeCodeOf(frame.payload);
            queueFrame(client, Opcode::Close, frame.payload.substr(0, 2));
            const std::string& out = client.out;
            [[maybe_unused]] auto ignored =
                ::send(client.fd, out.data() + client.out_offset, out.size() - client.out_offset, MSG_NOSIGNAL);
            loseClient(client, "closed by server: " + std::to_string(code));
            return false;
        }
    }
    return true;
}

void Worker::queueFrame(Client& client, Opcode opcode, std::string_view payload) {
    if (client.fd < 0) return;
    appendClientFrame(client.out, opcode, payload, static_cast<std::uint32_t>(nextRandom()));
    if (!client.dirty) {
        client.dirty = true;
        dirty_.push_back(&client);
    }
}

// Writes what each touched client has queued: one send per client per loop iteration.
void Worker::flushDirty() {
    for (std::size_t i = 0; i < dirty_.size(); ++i) {
        Client& client = *dirty_[i];
        client.dirty = false;
        while (client.fd >= 0 && client.out_offset < client.out.size()) {
            const ssize_t n = ::send(client.fd, client.out.data() + client.out_offset,
                                     client.out.size() - client.out_offset, MSG_NOSIGNAL);
            if (n > 0) {
                client.out_offset += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            const std::string cause = "write: " + errnoName(errno);
            if (client.state == Client::State::Open || client.state == Client::State::Closing)
                loseClient(client, cause);
            else
                failClient(client, cause);
        }
        if (client.out_offset == client.out.size()) {
            client.out.clear();
            client.out_offset = 0;
        } else if (client.out_offset > (1u << 20)) {
            client.out.erase(0, client.out_offset);
            client.out_offset = 0;
        }
    }
    dirty_.clear();
}

// The server ended an open connection (or it broke).
void Worker::loseClient(Client& client, const std::string& cause) {
    if (client.state == Client::State::Closing) {  // a churner leaving: the end it asked for
        finishLeave(client);
        return;
    }
    if (client.state != Client::State::Open) {
        if (client.fd >= 0) failClient(client, cause);
        return;
    }
    counters_.open.fetch_sub(1, std::memory_order_relaxed);
    counters_.lost.fetch_add(1, std::memory_order_relaxed);
    if (client.role == Client::Role::Member) counters_.lost_members.fetch_add(1, std::memory_order_relaxed);
    if (!client.joined && client.generation == 0) counters_.lost_unwelcomed.fetch_add(1, std::memory_order_relaxed);
    ++losses_[cause];
    closeSocket(client);
}

void Worker::closeSocket(Client& client) {
    if (client.fd >= 0) ::close(client.fd);
    client.fd = -1;
    client.state = Client::State::Closed;
    std::string().swap(client.in);
    std::string().swap(client.out);
    std::string().swap(client.fragments);
    client.out_offset = 0;
}

}  // namespace chatd::bench
