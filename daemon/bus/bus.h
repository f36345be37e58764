// The bus: how the rooms of one chatd instance are ordered and whether they
// are shared with other instances.
//
// - The in-memory bus (memory_bus.h, the default) shares nothing: the hub
//   shard that owns a room sequences its messages, keeps its history and fans
//   them out to the room's members, all inside this process.
// - The Redis bus (redis_bus.h) shares rooms between instances: a message is
//   numbered and stored by Redis and comes back to every instance through its
//   subscription, in one order. While Redis is unreachable the bus says so
//   (Listener::onSharingChanged(false)) and the shards serve their rooms
//   locally again until it is back (docs/scaling.md).
//
// Plugins never run here: a message reaches the bus after the pipeline of the
// instance that received it (HubShard::execute(MessageCommand)).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chatd::bus {

// A position in a room's history: the last message seen is `seq` of `epoch`.
struct Position {
    std::string epoch;
    std::uint64_t seq = 0;
    friend bool operator==(const Position&, const Position&) = default;
};

// One sequenced chat message as it travels between instances.
struct MessageRecord {
    std::string epoch;
    std::uint64_t seq = 0;
    std::int64_t ts_ms = 0;
    std::string from;
    std::string text;
    std::optional<std::string> id;  // the sender's request id
    std::string origin;             // "" (a member's), "plugin" or "admin" (a post)
};

// ---- requests: a hub shard asks (any thread; answered through the Listener) ----

// Number, store and share a message that passed the plugins.
struct PublishRequest {
    std::string room;
    std::string from;
    std::string text;
    std::optional<std::string> id;
    std::string origin;  // "" for a member's message; "plugin"/"admin" for a post
};

// Take a nick in a room across instances: a join (sync = true: the answer is a
// SyncPoint with the welcome's data) or a rename (answered by a ClaimAnswer).
struct ClaimRequest {
    std::string room;
    std::uint64_t token = 0;  // names the answer
    std::string nick;
    std::string old_nick;  // the member's nick so far; empty for a newcomer
    bool sync = false;
    std::optional<Position> since;  // a join resuming after this position
    std::size_t recent = 0;         // history size of a welcome that does not resume
    // List every nick in the sync point. A raw client gets no welcome: without
    // the list, a storm of raw joins costs Redis O(members) each, not O(members^2).
    bool users = true;
};

// A member left the room.
struct ReleaseRequest {
    std::string room;
    std::string nick;
    std::string reason;  // the leave's presence reason ("kicked"), "" for none
};

// After the bus came back: register this instance's members again and catch
// up from `cursor` (answered by a SyncPoint).
struct ResyncRequest {
    std::string room;
    std::uint64_t token = 0;
    std::vector<std::string> nicks;
    std::optional<Position> cursor;  // the last shared message delivered here
    // Local-only messages were delivered meanwhile: move the room to a new
    // epoch so that no client sees an epoch it has left come back.
    bool new_epoch = false;
};

// Older messages of one epoch of the room (a member's `history` request),
// answered by a HistoryAnswer.
struct HistoryRequest {
    std::string room;
    std::uint64_t token = 0;
    std::string epoch;
    std::optional<std::uint64_t> before;  // seq; absent: the newest
    std::size_t limit = 0;
};

// Kick the member holding `nick` in `room`, on whichever instance it is
// (the holder's instance carries it out; the others ignore it). Not sent
// while Redis is unreachable.
struct KickRequest {
    std::string room;
    std::string nick;
    std::string reason;
    std::string by;
};

using Request = std::variant<PublishRequest, ClaimRequest, ReleaseRequest, ResyncRequest, HistoryRequest, KickRequest>;

// ---- events: what the bus reports about a room, in the shared order ----

struct RemoteMessage {
    MessageRecord message;
};

struct RemotePresence {
    std::string event;  // join, leave, nick
    std::string nick;
    std::string old_nick;  // for nick
    std::uint64_t count = 0;
    bool own_resync = false;  // this instance re-registering its members: not news to them
    std::string reason;       // a leave's reason ("kicked"); "" for none
};

// The answer to a join or a resync, placed in the room's order: every
// message after it has a higher seq.
struct SyncPoint {
    std::uint64_t token = 0;
    Position position;                    // the room's last message at that point
    bool recovered = false;               // join: `since` was resumed exactly
    std::vector<std::string> users;       // join: every nick in the room
    std::vector<MessageRecord> messages;  // join: the welcome's history; resync: the catch-up
};

// A claim refused (taken = true), or a rename granted.
struct ClaimAnswer {
    std::uint64_t token = 0;
    bool taken = false;
};

// Up to `limit` messages of the epoch before `before`, oldest first; `more`
// when the bus holds older ones.
struct HistoryAnswer {
    std::uint64_t token = 0;
    std::vector<MessageRecord> messages;
    bool more = false;
};

// A request the bus could not send (not sharing): the shard serves it locally.
struct Bounced {
    Request request;
};

// A message the bus would not take: too much already waits for Redis
// (bus.redis.max_outbound_bytes). It was not numbered, stored or shared;
// the shard tells its sender (`unavailable`) and nobody else sees it.
struct Refused {
    PublishRequest request;
};

// An instance asked for the member holding `nick` to be kicked (KickRequest).
struct RemoteKick {
    std::string nick;
    std::string reason;
    std::string by;
};

using RoomEvent =
    std::variant<RemoteMessage, RemotePresence, SyncPoint, ClaimAnswer, HistoryAnswer, Bounced, RemoteKick, Refused>;

// ---- the operator's view across instances (chatdctl rooms, who, disconnect) ----

// A question about the shared rooms, asked of Redis (Bus::directory).
struct DirectoryQuery {
    enum class Kind {
        Rooms,           // every shared room with members, and how many
        Who,             // the members of `room` on every instance
        DisconnectNick,  // close (4000, `reason`) every session holding `nick`, on every instance
    };
    Kind kind = Kind::Rooms;
    std::string room;    // Who
    std::string nick;    // DisconnectNick
    std::string reason;  // DisconnectNick: the close reason
};

struct SharedRoom {
    std::string room;
    std::uint64_t members = 0;  // on every live instance
};

struct SharedMember {
    std::string nick;
    std::string instance;  // the instance holding the nick (Bus::instanceId() for this one)
};

struct DirectoryAnswer {
    bool answered = false;  // false: not shared, Redis unreachable, or no answer in time
    std::string error;      // why not answered, for the operator
    std::vector<SharedRoom> rooms;      // Rooms, by name
    std::vector<SharedMember> members;  // Who, by nick (case-insensitive)
    std::uint64_t instances_told = 0;   // DisconnectNick: other instances holding the nick, told to close it
};

using DirectoryDone = std::function<void(DirectoryAnswer)>;

// A plugin's message to the plugin of the same name on every other instance
// (e.g. the moderation plugin's bans). Opaque bytes; at most 64 KiB.
struct PluginBroadcast {
    std::string plugin;
    std::string payload;
};

// Where the bus reports; called on the bus thread.
class Listener {
public:
    virtual ~Listener() = default;
    // Events of one room arrive in the room's order.
    virtual void onRoomEvent(const std::string& room, RoomEvent event) = 0;
    // Rooms are shared now (true), or must be served locally (false).
    virtual void onSharingChanged(bool sharing) = 0;
    // Another instance's operator asked for every session here holding
    // `nick` (in whichever room) to be closed with 4000 and `reason`.
    virtual void onRemoteDisconnect(const std::string& nick, const std::string& reason) {
        (void)nick;
        (void)reason;
    }
    // A plugin on instance `instance` broadcast to its namesakes here.
    virtual void onPluginBroadcast(const std::string& instance, PluginBroadcast broadcast) {
        (void)instance;
        (void)broadcast;
    }
};

// What a networked bus reports for /metrics; called on the bus's own thread
// (the functions must be thread-safe). Empty functions are not called.
struct BusInstruments {
    std::function<void(std::chrono::steady_clock::duration)> published;  // publish call to Redis' reply
    std::function<void()> publish_failed;                                // a publish to send again
    std::function<void()> publish_refused;  // a publish refused: too much waits for Redis (Refused)
};

class Bus {
public:
    virtual ~Bus() = default;

    // Set before start(); the in-memory bus has nothing to report.
    virtual void setInstruments(BusInstruments) {}

    // False for the in-memory bus: rooms are local and the requests are unused.
    virtual bool shared() const = 0;
    virtual void start(Listener& listener) = 0;
    // Waits up to `timeout` until rooms are shared; false when still not.
    virtual bool waitUntilSharing(std::chrono::milliseconds timeout) = 0;
    // Sends what is queued (up to `grace`), says goodbye, ends the thread.
    // The listener is not called after stop() returns.
    virtual void stop(std::chrono::milliseconds grace) = 0;

    virtual void publish(PublishRequest request) = 0;
    virtual void claim(ClaimRequest request) = 0;
    virtual void release(ReleaseRequest request) = 0;
    virtual void resync(ResyncRequest request) = 0;
    virtual void history(HistoryRequest request) = 0;
    virtual void kick(KickRequest request) = 0;

    // Bytes of the commands sent to Redis and not answered yet (0 for the
    // in-memory bus). Any thread.
    virtual std::size_t outboundBytes() const { return 0; }

    // This instance's name on the bus ("" for the in-memory bus).
    virtual std::string instanceId() const { return {}; }
    // Asks Redis about the shared rooms; `done` runs exactly once, on the bus
    // thread, or at once on the caller's when the bus is not shared (answered
    // = false). Callers wait with a deadline of their own.
    virtual void directory(DirectoryQuery query, DirectoryDone done) {
        (void)query;
        done(DirectoryAnswer{.answered = false, .error = "rooms are not shared", .rooms = {}, .members = {}, .instances_told = 0});
    }
    // Hands `broadcast` to the namesake plugin on every other instance;
    // dropped (false) when not sharing right now. Any thread.
    virtual bool broadcast(PluginBroadcast broadcast) {
        (void)broadcast;
        return false;
    }

    // For /healthz: "memory", "redis" (sharing) or "degraded" (serving locally).
    virtual std::string_view state() const = 0;
};

}  // namespace chatd::bus
