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
                if (!client.joined) {
                    client.joined = true;
                    counters_.joined.fetch_add(1, std::memory_order_relaxed);
                }
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
            if (!client.warm) {
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

void Worker::onStamped(Client& client, const Stamp& stamp, std::int64_t now) {
    if (!book_.record(stamp, now)) {
        ++other_frames_;
        return;
    }
    latency_.record(now - stamp.intended_ns);
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
    if (phase_ == Phase::Measure) counters_.delivered_in_window.fetch_add(1, std::memory_order_relaxed);
    // Closed loop: the sender's own copy is its acknowledgement.
    if (options_.window > 0 && client.sender == static_cast<std::int32_t>(stamp.sender)) {
        if (client.in_flight > 0) --client.in_flight;
        if (phase_ == Phase::Measure) sendStamped(client, now);
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
        if (client.sender < 0 || client.state != Client::State::Open) continue;
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
    if (phase_ != Phase::Measure) return;
    const std::int64_t now = monotonicNs();
    while (!schedule_.empty() && schedule_.top().first <= now) {
        auto [due, client] = schedule_.top();
        schedule_.pop();
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
