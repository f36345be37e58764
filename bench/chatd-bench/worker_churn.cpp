// Worker: the bigroom background loads: churners leaving the room (a close
// frame) and coming back (a new connection, a new nick), and flooders writing
// messages as fast as their sockets take them.
#include "proc_stats.h"
#include "worker.h"

namespace chatd::bench {

namespace {
constexpr std::int64_t kCloseTimeoutNs = 2'000'000'000;  // a close the server has not answered by then is done anyway
constexpr std::size_t kFloodChunkBytes = 64 * 1024;      // what a flooder queues at once
constexpr std::size_t kFrameOverhead = 14;                // a client frame's header and mask key, at most
}  // namespace

// Churners take their turns spread evenly over one churn period from `start_ns`.
void Worker::scheduleChurners(std::int64_t start_ns) {
    if (churn_period_ns_ <= 0) return;
    for (Client& client : clients_) {
        if (client.role != Client::Role::Churner) continue;
        const auto churner = static_cast<std::int64_t>(client.index - options_.clients);
        schedule_.emplace(start_ns + churn_period_ns_ * churner / static_cast<std::int64_t>(options_.churners), &client);
    }
    armTimer();
}

// A churner's turn: it leaves now (close 1000) and comes back as soon as the
// server answered. One still on its way back skips the turn (counted).
void Worker::churnTurn(Client& client) {
    if (client.state != Client::State::Open || !client.joined) {
        counters_.churn_skipped.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    static constexpr char kNormalClosure[] = {0x03, static_cast<char>(0xe8)};  // 1000
    queueFrame(client, Opcode::Close, std::string_view(kNormalClosure, sizeof kNormalClosure));
    client.state = Client::State::Closing;
    client.deadline_ns = monotonicNs() + kCloseTimeoutNs;
    leaving_.push_back(&client);
}

// The churner is out of the room: closes its socket and queues it to connect
// again (while the run still sends).
void Worker::finishLeave(Client& client) {
    closeSocket(client);
    counters_.open.fetch_sub(1, std::memory_order_relaxed);
    counters_.churn_leaves.fetch_add(1, std::memory_order_relaxed);
    client.joined = false;
    ++client.generation;
    if (phase_ == Phase::Measure || phase_ == Phase::Flood) {
        client.state = Client::State::Waiting;
        reconnects_.push_back(&client);
    }
}

void Worker::expireLeaves(std::int64_t now) {
    while (!leaving_.empty()) {
        Client* client = leaving_.front();
        const bool closing = client->state == Client::State::Closing;
        if (closing && client->deadline_ns > now) return;
        leaving_.pop_front();
        if (closing) finishLeave(*client);
    }
}

// Flood phase: every joined flooder whose socket took all it was given gets
// another chunk of messages, stamped now. Returns whether any did (then the
// loop polls again without waiting: no new EPOLLOUT edge will say so).
bool Worker::refillFlooders() {
    bool refilled = false;
    const std::int64_t now = monotonicNs();
    for (Client* client : flooders_) {
        if (client->state != Client::State::Open || !client->joined || client->out_offset < client->out.size()) continue;
        std::uint64_t messages = 0;
        for (std::size_t bytes = 0; bytes < kFloodChunkBytes; ++messages) {
            writeStampedText(text_, Stamp{now, static_cast<std::uint32_t>(client->sender), client->next_seq++},
                             options_.size);
            payload_.clear();
            appendJsonMessage(payload_, text_);
            queueFrame(*client, Opcode::Text, payload_);
            bytes += payload_.size() + kFrameOverhead;
        }
        counters_.flood_sent.fetch_add(messages, std::memory_order_relaxed);
        refilled = true;
    }
    return refilled;
}

}  // namespace chatd::bench
