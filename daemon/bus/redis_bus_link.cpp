// RedisBus, the link: connecting both connections (AUTH, SELECT, SCRIPT
// LOAD, the subscriptions), noticing a lost or silent Redis, reconnecting
// with backoff, the heartbeat, and stopping.
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <random>

#include "bus/redis_bus.h"
#include "bus/redis_scripts.h"

namespace chatd::bus {

namespace {

using namespace std::chrono_literals;

std::chrono::milliseconds withJitter(std::chrono::milliseconds delay) {
    static thread_local std::mt19937 engine{std::random_device{}()};
    std::uniform_real_distribution<double> factor(0.8, 1.2);
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(delay.count()) * factor(engine)));
}

}  // namespace

// ---- the link ----

void RedisBus::connect() {
    reconnect_timer_ = 0;
    if (stopping_) return;
    link_ = Link::Connecting;
    const std::uint64_t generation = ++generation_;
    auto closed = [this, generation](const std::string& reason) { linkLost(generation, reason); };
    commands_ = std::make_unique<RedisConnection>(loop_, closed, &outbound_bytes_);
    subscriber_ = std::make_unique<RedisConnection>(loop_, closed);
    std::string error;
    if (!commands_->connect(settings_.endpoint, error) || !subscriber_->connect(settings_.endpoint, error)) {
        linkLost(generation, error);
        return;
    }
    setup_waiting_ = 0;
    auto step = [this, generation](const char* what) {
        ++setup_waiting_;
        return [this, generation, what](const redisReply* reply) { setupReply(generation, what, reply); };
    };
    const std::string database = std::to_string(settings_.database);
    for (RedisConnection* connection : {commands_.get(), subscriber_.get()}) {
        if (!settings_.password.empty()) {
            const std::string_view auth[] = {"AUTH", settings_.password};
            connection->command(auth, step("AUTH"));
        }
    }
    if (settings_.database != 0) {
        const std::string_view select[] = {"SELECT", database};
        commands_->command(select, step("SELECT"));
    }
    for (ScriptId id : kAllScripts) {
        const std::string_view load[] = {"SCRIPT", "LOAD", script(id).source};
        commands_->command(load, step("SCRIPT LOAD"));
    }
    // Each subscription is confirmed through onPush().
    auto push = [this](const redisReply& reply) { onPush(reply); };
    const std::string pattern = calls_.roomPattern();
    const std::string own = calls_.ownChannel();
    const std::string plugins = calls_.pluginsChannel();
    const std::string_view psubscribe[] = {"PSUBSCRIBE", pattern};
    const std::string_view subscribe[] = {"SUBSCRIBE", own};
    const std::string_view subscribe_plugins[] = {"SUBSCRIBE", plugins};
    setup_waiting_ += 3;  // one confirmation per channel or pattern
    subscriber_->subscribe(psubscribe, push);
    subscriber_->subscribe(subscribe, push);
    subscriber_->subscribe(subscribe_plugins, push);
    connect_timer_ = loop_.after(settings_.timeout, [this, generation] {
        connect_timer_ = 0;
        linkLost(generation, "no answer within " + std::to_string(settings_.timeout.count()) + " ms");
    });
}

void RedisBus::setupReply(std::uint64_t generation, const char* what, const redisReply* reply) {
    if (!reply) return;  // the link ended; linkLost() says why
    if (isError(reply)) return linkLost(generation, std::string(what) + ": " + std::string(replyText(reply)));
    setupStepDone(generation);
}

void RedisBus::setupStepDone(std::uint64_t generation) {
    if (generation != generation_ || link_ != Link::Connecting) return;
    if (--setup_waiting_ == 0) linkUp();
}

void RedisBus::linkUp() {
    link_ = Link::Up;
    loop_.cancel(connect_timer_);
    connect_timer_ = 0;
    backoff_ = kFirstBackoff;
    if (failed_attempts_ > 0) spdlog::info("bus: connected to Redis at {}", settings_.endpoint.describe());
    failed_attempts_ = 0;
    registered_ = false;
    // Before anything else, in their order: the publishes the last link left open.
    std::deque<Unconfirmed> retries;
    retries.swap(unconfirmed_);
    if (!retries.empty()) spdlog::info("bus: sending {} unconfirmed messages again", retries.size());
    for (Unconfirmed& message : retries) sendPublish(std::move(message));
    heartbeat();
    checkLiveness();
    setSharing(true);
}

void RedisBus::linkLost(std::uint64_t generation, const std::string& reason) {
    if (generation != generation_ || link_ == Link::Down) return;
    const bool was_up = link_ == Link::Up;
    link_ = Link::Down;
    ++generation_;
    for (EventLoop::TimerId* timer : {&connect_timer_, &heartbeat_timer_, &liveness_timer_}) {
        loop_.cancel(*timer);
        *timer = 0;
    }
    heartbeat_waiting_.reset();
    // We may be inside a callback of these connections: free them after this round.
    auto doomed = std::make_shared<std::pair<std::unique_ptr<RedisConnection>, std::unique_ptr<RedisConnection>>>(
        std::move(commands_), std::move(subscriber_));
    loop_.post([doomed] {
        doomed->first.reset();
        doomed->second.reset();
    });
    if (was_up) {
        spdlog::warn("bus: lost Redis at {} ({}); rooms are served by this instance alone until it is back",
                     settings_.endpoint.describe(), reason);
        setSharing(false);
    } else if (failed_attempts_++ == 0) {
        spdlog::warn("bus: cannot reach Redis at {} ({}); retrying", settings_.endpoint.describe(), reason);
    } else {
        spdlog::debug("bus: Redis at {} still unreachable ({})", settings_.endpoint.describe(), reason);
    }
    scheduleReconnect();
}

void RedisBus::scheduleReconnect() {
    if (stopping_) return;
    const auto delay = withJitter(backoff_);
    backoff_ = std::min(backoff_ * 2, settings_.max_backoff);
    reconnect_timer_ = loop_.after(delay, [this] { connect(); });
}

// Keeps this instance registered; its H coming round through the
// subscription proves the subscription alive too.
void RedisBus::heartbeat() {
    heartbeat_timer_ = 0;
    if (link_ != Link::Up) return;
    if (!heartbeat_waiting_) heartbeat_waiting_ = util::steadyNow();
    call(calls_.heartbeat(), [this, generation = generation_](const redisReply* reply) {
        if (!reply || generation != generation_) return;
        if (isError(reply)) return linkLost(generation, "heartbeat failed: " + std::string(replyText(reply)));
        // Given up as dead by the others (our members were removed): start over.
        if (reply->type == REDIS_REPLY_INTEGER && reply->integer == 1 && registered_)
            return linkLost(generation, "the other instances had given this one up");
        registered_ = true;
    });
    heartbeat_timer_ = loop_.after(settings_.instance_ttl / 3, [this] { heartbeat(); });
}

void RedisBus::checkLiveness() {
    liveness_timer_ = 0;
    if (link_ != Link::Up) return;
    const auto now = util::steadyNow();
    const auto oldest = commands_->oldestWaitingSince();
    if (oldest && now - *oldest > settings_.timeout)
        return linkLost(generation_, "no answer for " + std::to_string(settings_.timeout.count()) + " ms");
    if (heartbeat_waiting_ && now - *heartbeat_waiting_ > settings_.timeout)
        return linkLost(generation_, "the subscription went silent");
    const auto tick = std::clamp(settings_.timeout / 5, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
    liveness_timer_ = loop_.after(tick, [this] { checkLiveness(); });
}

void RedisBus::setSharing(bool sharing) {
    {
        std::lock_guard lock(sharing_mutex_);
        sharing_.store(sharing);
    }
    sharing_changed_.notify_all();
    if (!stopping_) listener_->onSharingChanged(sharing);
}

// ---- stopping ----

void RedisBus::beginStop(std::chrono::milliseconds grace) {
    stopping_ = true;
    loop_.cancel(reconnect_timer_);
    reconnect_timer_ = 0;
    drainInbox();  // what the shards asked before stop()
    if (link_ != Link::Up) return finishStop();
    call(calls_.goodbye(), [](const redisReply* reply) {
        if (isError(reply)) spdlog::warn("bus: goodbye failed: {}", replyText(reply));
    });
    finishStopWhenIdle(util::steadyNow() + grace);
}

void RedisBus::finishStopWhenIdle(util::SteadyTime deadline) {
    if (link_ == Link::Up && commands_->waiting() > 0 && util::steadyNow() < deadline) {
        loop_.after(10ms, [this, deadline] { finishStopWhenIdle(deadline); });
        return;
    }
    finishStop();
}

void RedisBus::finishStop() {
    for (EventLoop::TimerId timer : {connect_timer_, heartbeat_timer_, liveness_timer_}) loop_.cancel(timer);
    link_ = Link::Down;
    ++generation_;
    commands_.reset();    // not inside a callback: a timer or task runs this (waiting publishes
    subscriber_.reset();  // land in unconfirmed_)
    if (!unconfirmed_.empty())
        spdlog::error("bus: stopping with {} messages Redis never confirmed (it may or may not have shared them)",
                      unconfirmed_.size());
    {
        std::lock_guard lock(sharing_mutex_);
        sharing_.store(false);
    }
    sharing_changed_.notify_all();
    loop_.stop();
}

}  // namespace chatd::bus
