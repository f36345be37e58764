// Worker: opening connections, a bounded number of handshakes at a time.
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "handshake.h"
#include "proc_stats.h"
#include "sockets.h"
#include "worker.h"

namespace chatd::bench {

namespace {
constexpr std::int64_t kHandshakeTimeoutNs = 10'000'000'000;
// A flooder's send buffer. Left to autotuning, each flooder's would grow to
// tcp_wmem's maximum (4 MB here) while the server holds it back, and the
// generator would spend the flood's first second or two writing 100 x 4 MB of
// frames on the core it measures the members from (their latency rising by what
// the generator was late, not the server). The server sees the same flooder
// either way: its receive queue stays full. (Linux doubles what SO_SNDBUF
// asks for: 128 KB in effect.)
constexpr int kFlooderSendBufferBytes = 64 * 1024;
}  // namespace

// Where `client` connects: --port, or --port2 for odd-numbered clients.
const sockaddr_in& Worker::targetOf(const Client& client) const {
    return options_.port2 != 0 && client.index % 2 == 1 ? control_.target2 : control_.target;
}

// Starts connections while fewer than this thread's share of
// --connect-concurrency are in progress: churners coming back first, then
// the clients not connected yet.
void Worker::startConnects(std::int64_t now) {
    while (connecting_ < max_connecting_ && (!reconnects_.empty() || next_to_connect_ < clients_.size())) {
        Client* next = nullptr;
        if (!reconnects_.empty()) {
            next = reconnects_.front();
            reconnects_.pop_front();
        } else {
            next = &clients_[next_to_connect_++];
        }
        Client& client = *next;
        std::optional<in_addr> source;
        if (control_.bind_sources) source = loopbackSource(client.index, options_.sources);
        const ConnectStart start = startConnect(targetOf(client), source,
                                                client.role == Client::Role::Flooder ? kFlooderSendBufferBytes : 0);
        if (start.fd < 0) {
            failClient(client, start.failure);
            continue;
        }
        client.fd = start.fd;
        client.state = Client::State::Connecting;
        client.deadline_ns = now + kHandshakeTimeoutNs;
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        event.data.u64 = kFirstClientTag + static_cast<std::uint64_t>(&client - clients_.data());
        ::epoll_ctl(epoll_, EPOLL_CTL_ADD, client.fd, &event);
        ++connecting_;
        handshakes_.push_back(&client);
        if (start.done) beginHandshake(client);
    }
}

// TCP is connected: send the upgrade request.
void Worker::beginHandshake(Client& client) {
    client.state = Client::State::Handshaking;
    client.key = makeWebSocketKey(nextRandom(), nextRandom());
    client.out = buildUpgradeRequest(options_.host, ntohs(targetOf(client).sin_port), options_.path, client.key,
                                     options_.protocol);
    client.out_offset = 0;
    if (!client.dirty) {
        client.dirty = true;
        dirty_.push_back(&client);
    }
}

// The server answered 101: the connection is a WebSocket now.
void Worker::onOpened(Client& client) {
    client.state = Client::State::Open;
    std::string().swap(client.key);
    --connecting_;
    counters_.connected.fetch_add(1, std::memory_order_relaxed);
    counters_.open.fetch_add(1, std::memory_order_relaxed);
    if (options_.protocol == Protocol::Json) sendJoin(client);
}

// Joins the client's room as u<index> (u<index>-<generation> when a churner
// comes back: its last nick may not be free yet). Flooders join rooms of
// their own: flood-<k>.
void Worker::sendJoin(Client& client) {
    std::string room = options_.room;
    if (client.role == Client::Role::Flooder) {
        const unsigned rooms = options_.flood_rooms ? options_.flood_rooms : options_.flooders;
        const unsigned flooder = client.index - options_.clients - options_.churners;
        room = "flood-" + std::to_string(flooder % rooms);
    }
    std::string nick = "u" + std::to_string(client.index);
    if (client.generation > 0) nick += "-" + std::to_string(client.generation);
    payload_.assign(R"({"type":"join","room":")").append(room).append(R"(","nick":")").append(nick).append("\"}");
    client.join_sent_ns = monotonicNs();
    queueFrame(client, Opcode::Text, payload_);
}

void Worker::failClient(Client& client, const std::string& cause) {
    if (client.state == Client::State::Connecting || client.state == Client::State::Handshaking) --connecting_;
    closeSocket(client);
    ++failures_[cause];
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
}

void Worker::expireHandshakes(std::int64_t now) {
    while (!handshakes_.empty()) {
        Client* client = handshakes_.front();
        const bool pending = client->state == Client::State::Connecting || client->state == Client::State::Handshaking;
        if (pending && client->deadline_ns > now) return;
        handshakes_.pop_front();
        if (pending) failClient(*client, client->state == Client::State::Connecting ? "connect timeout" : "handshake timeout");
    }
}

}  // namespace chatd::bench
