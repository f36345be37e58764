// RedisBus: rooms shared by every chatd instance that uses the same Redis.
//
// Threads: one bus thread runs an EventLoop with two hiredis connections, one
// for commands (the Lua scripts of redis_scripts.h) and one subscribed to
// every room channel (PSUBSCRIBE P room:*) and to this instance's own channel.
// A third channel, P plugins, carries the plugins' broadcasts to every
// instance (broadcast()); directory() answers the operator's questions about
// the shared rooms with read-only scripts (redis_bus_directory.cpp).
// Hub shards hand requests over with publish()/claim()/release()/resync()
// (queued, never blocking); what comes back goes to the Listener, which posts
// it to the shard owning the room. The subscription delivers in Redis' order,
// which is the seq order of every room.
//
// Faults: no answer within `timeout`, a heartbeat that does not come round, or
// a closed connection ends the link: the listener hears onSharingChanged(false)
// (the shards serve their rooms locally), requests are bounced back, and the
// bus reconnects with backoff. Publishes whose outcome the lost link never
// told are sent again once it is back under their original counter: the
// script runs each counter at most once, so none is lost or doubled.
//
// Bound: the commands sent and not answered yet are counted in bytes
// (outboundBytes(), chatd_bus_outbound_bytes); a chat message that would take
// them over bus.redis.max_outbound_bytes is refused (Refused), so a slow or
// stalled Redis cannot make this process grow without limit.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "bus/bus.h"
#include "bus/event_loop.h"
#include "bus/redis_calls.h"
#include "bus/redis_connection.h"
#include "bus/redis_settings.h"

namespace chatd::bus {

class RedisBus final : public Bus {
public:
    explicit RedisBus(RedisSettings settings);
    ~RedisBus() override;

    bool shared() const override { return true; }
    void setInstruments(BusInstruments instruments) override { instruments_ = std::move(instruments); }
    void start(Listener& listener) override;
    bool waitUntilSharing(std::chrono::milliseconds timeout) override;
    void stop(std::chrono::milliseconds grace) override;

    void publish(PublishRequest request) override { enqueue(std::move(request)); }
    void claim(ClaimRequest request) override { enqueue(std::move(request)); }
    void release(ReleaseRequest request) override { enqueue(std::move(request)); }
    void kick(KickRequest request) override { enqueue(std::move(request)); }
    void resync(ResyncRequest request) override { enqueue(std::move(request)); }
    void history(HistoryRequest request) override { enqueue(std::move(request)); }

    std::size_t outboundBytes() const override { return outbound_bytes_.load(std::memory_order_relaxed); }
    std::string instanceId() const override { return calls_.instance(); }
    void directory(DirectoryQuery query, DirectoryDone done) override;
    bool broadcast(PluginBroadcast broadcast) override;
    // The largest payload broadcast() takes.
    static constexpr std::size_t kMaxBroadcastPayload = 64 * 1024;

    std::string_view state() const override { return sharing_.load() ? "redis" : "degraded"; }

private:
    BusInstruments instruments_;
    static constexpr std::chrono::milliseconds kFirstBackoff{100};
    enum class Link { Down, Connecting, Up };
    struct Unconfirmed {
        PublishRequest request;
        std::uint64_t counter;
    };

    void enqueue(Request request);

    // --- bus thread only ---
    void drainInbox();
    void handle(PublishRequest& request);
    void handle(ClaimRequest& request);
    void handle(ReleaseRequest& request);
    void handle(KickRequest& request);
    void handle(ResyncRequest& request);
    void handle(HistoryRequest& request);
    void sendPublish(Unconfirmed message);
    void sendPublish(Unconfirmed message, const ScriptCall& publish);
    // True when sending `publish` now would take the commands waiting for
    // Redis over bus.redis.max_outbound_bytes.
    bool overBound(const ScriptCall& publish) const;
    void askDirectory(const DirectoryQuery& query, const DirectoryDone& done);
    void sendBroadcast(const PluginBroadcast& broadcast);
    void call(const ScriptCall& call, RedisConnection::ReplyHandler handler);
    void connect();
    void setupReply(std::uint64_t generation, const char* what, const redisReply* reply);
    void setupStepDone(std::uint64_t generation);
    void linkUp();
    void linkLost(std::uint64_t generation, const std::string& reason);
    void scheduleReconnect();
    void heartbeat();
    void checkLiveness();
    void onPush(const redisReply& reply);
    void onRoomRecord(std::string_view room, std::string_view record);
    void onOwnRecord(std::string_view record);
    void onPluginRecord(std::string_view record);
    void setSharing(bool sharing);
    void beginStop(std::chrono::milliseconds grace);
    void finishStopWhenIdle(util::SteadyTime deadline);
    void finishStop();

    RedisSettings settings_;
    RedisCalls calls_;
    Listener* listener_ = nullptr;
    EventLoop loop_;
    std::thread thread_;

    std::mutex inbox_mutex_;
    std::vector<Request> inbox_;

    std::atomic<bool> sharing_{false};
    std::mutex sharing_mutex_;
    std::condition_variable sharing_changed_;

    Link link_ = Link::Down;
    std::uint64_t generation_ = 0;  // names the current link; stale callbacks compare it
    // Bytes sent on commands_ and not answered (RedisConnection counts them;
    // declared before it, which updates it until its destructor).
    std::atomic<std::size_t> outbound_bytes_{0};
    std::unique_ptr<RedisConnection> commands_;
    std::unique_ptr<RedisConnection> subscriber_;
    int setup_waiting_ = 0;
    unsigned failed_attempts_ = 0;
    std::chrono::milliseconds backoff_;
    EventLoop::TimerId connect_timer_ = 0;
    EventLoop::TimerId heartbeat_timer_ = 0;
    EventLoop::TimerId liveness_timer_ = 0;
    EventLoop::TimerId reconnect_timer_ = 0;
    std::optional<util::SteadyTime> heartbeat_waiting_;  // sent, its H not back yet
    bool registered_ = false;                            // a heartbeat of this link went through
    std::deque<Unconfirmed> unconfirmed_;                // to send again once the link is back
    std::uint64_t next_counter_ = 1;
    bool stopping_ = false;
};

}  // namespace chatd::bus
