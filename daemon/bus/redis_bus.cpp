// RedisBus: the public side (requests queued from any thread), the
// requests on the bus thread, and what arrives through the subscription.
#include "bus/redis_bus.h"
#include "bus/redis_history.h"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include "bus/record.h"
#include "util/random_id.h"

namespace chatd::bus {

namespace {

using namespace std::chrono_literals;

// What a script call sends: <verb> <sha1 or text> <key count> keys... args...
std::vector<std::string_view> scriptArgv(const ScriptCall& call, std::string_view verb, std::string_view body,
                                         const std::string& key_count) {
    std::vector<std::string_view> argv{verb, body, key_count};
    for (const auto& key : call.keys) argv.push_back(key);
    for (const auto& arg : call.args) argv.push_back(arg);
    return argv;
}

std::string_view element(const redisReply& reply, std::size_t index) {
    if (index >= reply.elements) return {};
    return replyText(reply.element[index]);
}

}  // namespace

RedisBus::RedisBus(RedisSettings settings)
    : settings_(std::move(settings)),
      calls_(settings_, settings_.instance_id.empty() ? util::randomHexId() : settings_.instance_id),
      backoff_(kFirstBackoff) {}

RedisBus::~RedisBus() { stop(0ms); }

void RedisBus::start(Listener& listener) {
    listener_ = &listener;
    spdlog::info("bus: sharing rooms through Redis at {} (key prefix '{}', instance {})", settings_.endpoint.describe(),
                 settings_.key_prefix, calls_.instance());
    loop_.post([this] { connect(); });
    thread_ = std::thread([this] { loop_.run(); });
}

bool RedisBus::waitUntilSharing(std::chrono::milliseconds timeout) {
    std::unique_lock lock(sharing_mutex_);
    return sharing_changed_.wait_for(lock, timeout, [this] { return sharing_.load(); });
}

void RedisBus::stop(std::chrono::milliseconds grace) {
    if (!thread_.joinable()) return;
    loop_.post([this, grace] { beginStop(grace); });
    thread_.join();
}

void RedisBus::enqueue(Request request) {
    bool first;
    {
        std::lock_guard lock(inbox_mutex_);
        first = inbox_.empty();
        inbox_.push_back(std::move(request));
    }
    if (first) loop_.post([this] { drainInbox(); });
}

void RedisBus::drainInbox() {
    std::vector<Request> batch;
    {
        std::lock_guard lock(inbox_mutex_);
        batch.swap(inbox_);
    }
    for (Request& request : batch) std::visit([this](auto& r) { handle(r); }, request);
}

// ---- requests ----

// Only chat messages are refused over the bound: they are what clients can
// send without limit. Claims, releases, resyncs, kicks, history reads,
// heartbeats, the directory and plugin broadcasts are not: they are small
// or few (a join or rename is rate-limited per session, a broadcast is rare),
// and dropping one would leave Redis' view of the rooms wrong (a member who
// never leaves, an instance given up as dead). They still count toward the
// bound, so a stall that fills it with them refuses the messages after them.
void RedisBus::handle(PublishRequest& request) {
    if (link_ != Link::Up) {
        listener_->onRoomEvent(request.room, Bounced{std::move(request)});
        return;
    }
    const ScriptCall publish = calls_.publish(request, next_counter_, util::randomHexId());
    if (overBound(publish)) {
        if (instruments_.publish_refused) instruments_.publish_refused();
        const std::string room = request.room;
        listener_->onRoomEvent(room, Refused{std::move(request)});
        return;
    }
    sendPublish(Unconfirmed{std::move(request), next_counter_++}, publish);
}

// Something must be waiting already: a single message bigger than the bound
// still goes when nothing else waits, so the bus never refuses everything.
bool RedisBus::overBound(const ScriptCall& publish) const {
    const std::size_t waiting = outbound_bytes_.load(std::memory_order_relaxed);
    if (waiting == 0) return false;
    const std::string key_count = std::to_string(publish.keys.size());
    const std::size_t bytes =
        respCommandBytes(scriptArgv(publish, "EVALSHA", bus::script(publish.script).sha1, key_count));
    return waiting + bytes > settings_.max_outbound_bytes;
}

void RedisBus::sendPublish(Unconfirmed message) {
    const ScriptCall publish = calls_.publish(message.request, message.counter, util::randomHexId());
    sendPublish(std::move(message), publish);
}

void RedisBus::sendPublish(Unconfirmed message, const ScriptCall& publish) {
    auto kept = std::make_shared<Unconfirmed>(std::move(message));
    call(publish, [this, kept, generation = generation_, sent = std::chrono::steady_clock::now()](
                      const redisReply* reply) {
        if (reply && !isError(reply)) {  // numbered, stored and published
            if (instruments_.published) instruments_.published(std::chrono::steady_clock::now() - sent);
            return;
        }
        if (instruments_.publish_failed) instruments_.publish_failed();
        // Lost link: Redis may or may not have run it; a failed script: it did
        // not finish. Either way it goes again on the next link, under the same
        // counter, so that Redis runs it at most once.
        unconfirmed_.push_back(std::move(*kept));
        if (reply) linkLost(generation, "publish failed: " + std::string(replyText(reply)));
    });
}

void RedisBus::handle(ClaimRequest& request) {
    if (link_ != Link::Up) {
        const std::string room = request.room;
        listener_->onRoomEvent(room, Bounced{std::move(request)});
        return;
    }
    call(calls_.claim(request, util::randomHexId()),
         [this, room = request.room, token = request.token, sync = request.sync,
          generation = generation_](const redisReply* reply) {
             if (!reply) return;  // the shards settle open claims when sharing stops
             if (isError(reply)) return linkLost(generation, "claim failed: " + std::string(replyText(reply)));
             const bool taken = replyText(reply) == "taken";
             // A granted join is answered by its sync point, in the room's order.
             if (taken || !sync) listener_->onRoomEvent(room, ClaimAnswer{token, taken});
         });
}

void RedisBus::handle(ReleaseRequest& request) {
    // Not sharing: nothing to do, the next resync states who is here.
    if (link_ != Link::Up) return;
    call(calls_.release(request), [](const redisReply* reply) {
        if (isError(reply)) spdlog::warn("bus: release failed: {}", replyText(reply));
    });
}

void RedisBus::handle(KickRequest& request) {
    if (link_ != Link::Up) {
        spdlog::warn("bus: kick of {} in {} not sent: Redis is unreachable", request.nick, request.room);
        return;
    }
    call(calls_.kick(request), [](const redisReply* reply) {
        if (isError(reply)) spdlog::warn("bus: kick failed: {}", replyText(reply));
    });
}

void RedisBus::handle(ResyncRequest& request) {
    if (link_ != Link::Up) return;  // sharing stopped again; the shard hears it next
    call(calls_.resync(request, util::randomHexId(), util::randomHexId()),
         [this, room = request.room, generation = generation_](const redisReply* reply) {
             if (isError(reply)) return linkLost(generation, "resync failed: " + std::string(replyText(reply)));
             if (reply && reply->type == REDIS_REPLY_INTEGER && reply->integer > 0)
                 spdlog::warn("bus: room {}: {} nicks of this instance are held by members elsewhere", room,
                              reply->integer);
         });
}

// Reads the room's whole log (at most redis.history_length entries) and
// keeps the page asked for (redis_history.h).
void RedisBus::handle(HistoryRequest& request) {
    if (link_ != Link::Up) {
        const std::string room = request.room;
        listener_->onRoomEvent(room, Bounced{std::move(request)});
        return;
    }
    const std::string log = calls_.roomKey(request.room, "log");
    const std::string count = std::to_string(std::max<std::size_t>(settings_.history_length, 1));
    const std::vector<std::string_view> command{"XREVRANGE", log, "+", "-", "COUNT", count};
    const std::int64_t age = settings_.history_age.count();
    const std::int64_t oldest_ms = age > 0 ? util::wallClockMillis() - age : 0;
    const bool sent = commands_->command(command, [this, request, oldest_ms](const redisReply* reply) {
        HistoryAnswer answer{.token = request.token, .messages = {}, .more = false};
        if (reply && !isError(reply)) answer = historyPage(*reply, request, oldest_ms);
        else if (reply) spdlog::warn("bus: room {}: history read failed: {}", request.room, replyText(reply));
        listener_->onRoomEvent(request.room, std::move(answer));
    });
    if (!sent) listener_->onRoomEvent(request.room, HistoryAnswer{.token = request.token, .messages = {}, .more = false});
}

// EVALSHA; when Redis lost its script cache (NOSCRIPT), the same call once
// more as EVAL with the whole text, which caches it again.
void RedisBus::call(const ScriptCall& call, RedisConnection::ReplyHandler handler) {
    const Script& script = bus::script(call.script);
    auto storage = std::make_shared<ScriptCall>(call);
    const std::string key_count = std::to_string(call.keys.size());
    auto build = [storage, key_count](std::string_view verb, std::string_view body) {
        return scriptArgv(*storage, verb, body, key_count);
    };
    const auto evalsha = build("EVALSHA", script.sha1);
    const bool sent =
        commands_->command(evalsha, [this, build, handler, &script, generation = generation_](const redisReply* reply) {
            if (reply && isError(reply) && replyText(reply).starts_with("NOSCRIPT") && generation == generation_ &&
                commands_ && commands_->isOpen()) {
                spdlog::warn("bus: Redis lost the {} script; sending its text", script.name);
                if (commands_->command(build("EVAL", script.source), handler)) return;
                reply = nullptr;
            }
            handler(reply);
        });
    if (!sent) handler(nullptr);
}

// ---- the subscription ----

void RedisBus::onPush(const redisReply& reply) {
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 3) return;
    const std::string_view kind = element(reply, 0);
    if (kind == "psubscribe" || kind == "subscribe") {
        setupStepDone(generation_);
    } else if (kind == "pmessage" && reply.elements == 4) {
        const std::string_view room = calls_.roomOfChannel(element(reply, 2));
        if (!room.empty()) onRoomRecord(room, element(reply, 3));
    } else if (kind == "message") {
        if (element(reply, 1) == calls_.pluginsChannel())
            onPluginRecord(element(reply, 2));
        else
            onOwnRecord(element(reply, 2));
    }
}

void RedisBus::onRoomRecord(std::string_view room, std::string_view record) {
    const std::string name(room);
    if (recordKind(record) == 'M') {
        if (auto message = decodeMessageRecord(record)) return listener_->onRoomEvent(name, RemoteMessage{*message});
    } else if (recordKind(record) == 'P') {
        if (auto presence = decodePresenceRecord(record, calls_.instance()))
            return listener_->onRoomEvent(name, std::move(*presence));
    } else if (recordKind(record) == 'K') {
        if (auto kick = decodeKickRecord(record)) return listener_->onRoomEvent(name, std::move(*kick));
    }
    spdlog::warn("bus: room {}: malformed record ignored ({} bytes)", name, record.size());
}

void RedisBus::onOwnRecord(std::string_view record) {
    if (recordKind(record) == 'H') {
        heartbeat_waiting_.reset();
        return;
    }
    if (recordKind(record) == 'S') {
        if (auto sync = decodeSyncRecord(record)) return listener_->onRoomEvent(sync->room, std::move(sync->point));
    } else if (recordKind(record) == 'D') {
        if (auto disconnect = decodeDisconnectRecord(record))
            return listener_->onRemoteDisconnect(disconnect->nick, disconnect->reason);
    }
    spdlog::warn("bus: malformed record on this instance's channel ignored ({} bytes)", record.size());
}

}  // namespace chatd::bus
