// Worker: the benchmark traffic: sending stamped messages on schedule (open
// loop) or on echo (closed loop), warm-up messages, and timing deliveries.
#include <sys/timerfd.h>
#include <unistd.h>

#include "proc_stats.h"
#include "worker.h"

namespace chatd::bench {

namespace {
constexpr std::int64_t kWarmupIntervalNs = 100'000'000;
}

void Worker::onMessage(Client& client, std::string_view payload, std::int64_t now) {
    std::string_view text = payload;
    if (options_.protocol == Protocol::Json) {
        switch (classifyJsonFrame(payload, text)) {
            case JsonFrameKind::Welcome:
                onWelcome(client, now);
                return;
            case JsonFrameKind::Presence:
                counters_.presence.fetch_add(1, std::memory_order_relaxed);
                return;
            case JsonFrameKind::Error:
                counters_.errors.fetch_add(1, std::memory_order_relaxed);
                ++other_frames_;
                return;
            case JsonFrameKind::Other:
                ++other_frames_;
                return;
            case JsonFrameKind::Message:
                break;
        }
    }
    Stamp stamp;
    switch (parseText(text, stamp)) {
        case TextKind::Warmup:
            if (!client.warm && client.role == Client::Role::Member) {
                client.warm = true;
                counters_.warm.fetch_add(1, std::memory_order_relaxed);
            }
            return;
        case TextKind::Stamped:
            onStamped(client, stamp, now);
            return;
        case TextKind::Other:
            ++other_frames_;
            return;
    }
}

// The first welcome of a connection: the fill's (generation 0) or a
// churner's coming back.
void Worker::onWelcome(Client& client, std::int64_t now) {
    if (client.joined) return;
    client.joined = true;
    if (client.generation > 0) {
        rejoin_latency_.record(now - client.join_sent_ns);
        counters_.churn_joins.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    join_latency_.record(now - client.join_sent_ns);
    counters_.joined.fetch_add(1, std::memory_order_relaxed);
    if (now > counters_.last_welcome_ns.load(std::memory_order_relaxed))
        counters_.last_welcome_ns.store(now, std::memory_order_relaxed);
}

// A stamped message arrived: members time it (by when it was meant to be
// sent: before the flood or during it); flooders count their room's flood;
// churners ignore it (they miss messages while away by design).
void Worker::onStamped(Client& client, const Stamp& stamp, std::int64_t now) {
    if (client.role == Client::Role::Flooder) {
        flooder_latency_.record(now - stamp.intended_ns);
        counters_.flood_delivered.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (client.role == Client::Role::Churner) return;
    if (!book_.record(stamp, now)) {
        ++other_frames_;
        return;
    }
    const bool in_flood = stamp.intended_ns >= control_.flood_start_ns.load(std::memory_order_relaxed);
    (in_flood ? flood_latency_ : latency_).record(now - stamp.intended_ns);
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
    if (phase_ == Phase::Measure || phase_ == Phase::Flood) counters_.delivered_in_window.fetch_add(1, std::memory_order_relaxed);
    // Closed loop: the sender's own copy is its acknowledgement.
    if (options_.window > 0 && client.sender == static_cast<std::int32_t>(stamp.sender)) {
        if (client.in_flight > 0) --client.in_flight;
        if (phase_ == Phase::Measure || phase_ == Phase::Flood) sendStamped(client, now);
    }
}

void Worker::sendStamped(Client& client, std::int64_t intended_ns) {
    if (client.state != Client::State::Open) return;
    const Stamp stamp{intended_ns, static_cast<std::uint32_t>(client.sender), client.next_seq++};
    writeStampedText(text_, stamp, options_.size);
    if (options_.protocol == Protocol::Json) {
        payload_.clear();
        appendJsonMessage(payload_, text_);
        queueFrame(client, Opcode::Text, payload_);
    } else {
        queueFrame(client, Opcode::Text, text_);  // what the tutorial's page sends
    }
    ++client.in_flight;
    counters_.sent.fetch_add(1, std::memory_order_relaxed);
}

// Measuring starts at `start_ns`: closed-loop senders fill their window now;
// open-loop senders are scheduled, spread evenly over one period.
void Worker::startSending(std::int64_t start_ns) {
    for (Client& client : clients_) {
        if (client.sender < 0 || client.role != Client::Role::Member || client.state != Client::State::Open) continue;
        if (options_.window > 0) {
            const std::int64_t now = monotonicNs();
            for (unsigned i = 0; i < options_.window; ++i) sendStamped(client, now);
        } else {
            const std::int64_t offset = period_ns_ * client.sender / static_cast<std::int64_t>(options_.senders);
            schedule_.emplace(start_ns + offset, &client);
        }
    }
    armTimer();
}

// Sends every message whose intended time has come, stamped with that time
// (not with now: a late send shows up as latency).
void Worker::onTimer() {
    std::uint64_t expirations;
    [[maybe_unused]] auto ignored = ::read(timer_, &expirations, sizeof expirations);
    if (phase_ != Phase::Measure && phase_ != Phase::Flood) return;
    const std::int64_t now = monotonicNs();
    while (!schedule_.empty() && schedule_.top().first <= now) {
        auto [due, client] = schedule_.top();
        schedule_.pop();
        if (client->role == Client::Role::Churner) {
            churnTurn(*client);  // it stays on the schedule, whether it could leave or not
            schedule_.emplace(due + churn_period_ns_, client);
            continue;
        }
        sendStamped(*client, due);
        if (client->state == Client::State::Open) schedule_.emplace(due + period_ns_, client);
    }
    armTimer();
}

void Worker::armTimer() {
    itimerspec spec{};  // all zero disarms
    if (!schedule_.empty()) {
        const std::int64_t due = std::max<std::int64_t>(schedule_.top().first, 1);
        spec.it_value.tv_sec = due / 1'000'000'000;
        spec.it_value.tv_nsec = due % 1'000'000'000;
    }
    ::timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

// Client 0 broadcasts a warm-up message every 100 ms until every client got one.
void Worker::sendWarmupIfDue(std::int64_t now) {
    if (!warmup_sender_ || warmup_sender_->state != Client::State::Open || now < next_warmup_ns_) return;
    if (options_.protocol == Protocol::Json && !warmup_sender_->joined) return;
    next_warmup_ns_ = now + kWarmupIntervalNs;
    const std::string text = warmupText(options_.mode == Mode::Broadcast ? options_.size : 32);
    if (options_.protocol == Protocol::Json) {
        payload_.clear();
        appendJsonMessage(payload_, text);
        queueFrame(*warmup_sender_, Opcode::Text, payload_);
    } else {
        queueFrame(*warmup_sender_, Opcode::Text, text);
    }
}

}  // namespace chatd::bench
