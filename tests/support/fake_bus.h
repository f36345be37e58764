// FakeBus: an in-process stand-in for the Redis bus (bus/redis_bus.h), for
// unit tests of the room core. It keeps what Redis keeps for each room (the
// epoch, the seq, the message log, which instance holds which nick) and
// answers every request the way the scripts of bus/redis_scripts.cpp do. A
// test scripts everything else:
//   - the deliveries: hold() what the bus reports (a delay of any length),
//     then flush() it in order, release one held event out of turn, or
//     reorder them;
//   - the link: dropLink() (Redis unreachable: undelivered events are lost,
//     the shards serve their rooms locally, publishes and claims bounce) and
//     restoreLink() (the shards resync);
//   - another instance, "B": its members join, rename and leave, it posts,
//     and Redis may lose a room (the next message starts a new epoch);
//   - the operator's view (directory(): answered from the fake Redis at once)
//     and plugin broadcasts (recorded; B's arrive through remoteBroadcast());
//   - and it records every request the shards made, for the test to check.
// Threads: requests come from hub shard threads, scripting from the test
// thread. One lock guards the state; the listener is called under a second
// one, so that it hears every event in the single order the bus decided.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bus/bus.h"

namespace chatd::testing {

class FakeBus final : public bus::Bus {
public:
    struct Options {
        bool link_up = true;              // the link is up from start()
        std::size_t history_length = 100;  // messages Redis keeps per room (redis.history_length)
    };
    // What the bus has decided but not reported yet: a room event, or (when
    // `sharing` is set) that rooms are shared again or no longer.
    struct Event {
        std::string room;
        bus::RoomEvent event;
        std::optional<bool> sharing;
    };
    static constexpr const char* kThisInstance = "A";
    static constexpr const char* kOtherInstance = "B";

    FakeBus() : FakeBus(Options{}) {}
    explicit FakeBus(Options options) : options_(options), link_up_(options.link_up) {}

    // ---- bus::Bus ----
    bool shared() const override { return true; }
    void start(bus::Listener& listener) override;
    bool waitUntilSharing(std::chrono::milliseconds timeout) override;
    void stop(std::chrono::milliseconds grace) override;
    void publish(bus::PublishRequest request) override;
    void claim(bus::ClaimRequest request) override;
    void release(bus::ReleaseRequest request) override;
    void resync(bus::ResyncRequest request) override;
    void history(bus::HistoryRequest request) override;
    void kick(bus::KickRequest request) override;
    std::string_view state() const override;
    std::string instanceId() const override { return kThisInstance; }
    // Answered at once on the caller's thread from the fake Redis (members of
    // A and B); answered = false while the link is down.
    void directory(bus::DirectoryQuery query, bus::DirectoryDone done) override;
    // Recorded (broadcasts()); false while the link is down or when the
    // payload is over 64 KiB (as RedisBus).
    bool broadcast(bus::PluginBroadcast broadcast) override;

    // ---- the operator's view and plugin broadcasts (fake_bus_directory.cpp) ----
    std::vector<bus::PluginBroadcast> broadcasts() const;
    // The nicks a DisconnectNick query told B to close.
    std::vector<std::string> disconnectsToldB() const;
    // B's operator asks this instance to close `nick`; B's plugin broadcasts.
    void remoteDisconnect(const std::string& nick, const std::string& reason);
    void remoteBroadcast(bus::PluginBroadcast broadcast);

    // ---- deliveries ----
    // From now on, what the bus reports waits until released.
    void hold();
    // Stops holding and reports everything held, in order.
    void flush();
    // Waits until at least `count` events are held; false on timeout.
    bool waitHeld(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    std::vector<Event> held() const;
    // Reports the held event at `index` now, ahead of the others.
    void releaseOne(std::size_t index);
    // Puts the held events in the order `order` names (indexes into held()).
    void reorderHeld(const std::vector<std::size_t>& order);

    // ---- the link ----
    // Redis is unreachable: room events not reported yet are lost with the
    // link, and so is whatever Redis shares until restoreLink(). The shards
    // hear it after what is queued (held too, while holding); requests made
    // meanwhile bounce (publish, claim, history) or are dropped (release, resync).
    void dropLink();
    void restoreLink();

    // ---- another instance (B), and Redis itself ----
    // B's member takes `nick` in `room`; false when someone holds it already.
    bool remoteJoin(const std::string& room, const std::string& nick);
    void remoteRename(const std::string& room, const std::string& old_nick, const std::string& nick);
    void remoteLeave(const std::string& room, const std::string& nick);
    // B's member posts: numbered and reported like any message.
    bus::MessageRecord remotePost(const std::string& room, const std::string& from, const std::string& text);
    // Redis forgot the room (flushed or restarted empty): the next request
    // about it starts a new epoch from seq 0.
    void loseRoom(const std::string& room);
    // Reports `event` verbatim (after what is queued): duplicates, gaps.
    void inject(const std::string& room, bus::RoomEvent event);
    // The room's epoch and seq in the fake Redis (nullopt: no such room).
    std::optional<bus::Position> position(const std::string& room) const;

    // ---- what the shards asked ----
    std::vector<bus::Request> requests() const;
    // Waits until a request for which `match` is true has been made (counting
    // those made before the call), and returns it.
    std::optional<bus::Request> waitForRequest(const std::function<bool(const bus::Request&)>& match,
                                               std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    struct Holder {
        std::string instance;
        std::string nick;
    };
    struct RoomState {
        std::string epoch;
        std::uint64_t seq = 0;
        std::deque<bus::MessageRecord> log;
        std::map<std::string, Holder> users;  // folded nick -> holder
    };

    // Records `request` and answers it (or bounces it), then reports.
    void handle(bus::Request request);
    // Runs `apply` under the lock, then reports what it decided.
    void change(const std::function<void()>& apply);

    // --- with mutex_ held ---
    void answer(bus::PublishRequest& request);
    void answer(bus::ClaimRequest& request);
    void answer(bus::ReleaseRequest& request);
    void answer(bus::ResyncRequest& request);
    void answer(bus::HistoryRequest& request);
    void answer(bus::KickRequest& request);
    RoomState& roomNamed(const std::string& room);
    std::string newEpoch();
    void emit(const std::string& room, bus::RoomEvent event, std::optional<bool> sharing = {});
    void emitPresence(const std::string& room, const RoomState& state, std::string event, std::string nick,
                      std::string old_nick = {}, bool own_resync = false, std::string reason = {});
    bus::MessageRecord append(const std::string& room, std::string from, std::string text,
                              std::optional<std::string> id, std::string origin = {});
    void record(bus::Request request);
    std::vector<bus::MessageRecord> historyFor(const RoomState& state, const bus::ClaimRequest& claim,
                                               bool& recovered) const;

    // Reports what is queued unless holding (no lock held by the caller).
    void pump();
    // Reports one event to the listener (report_mutex_ held).
    void report(Event event);
    void announceSharing(bool sharing);

    const Options options_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bus::Listener* listener_ = nullptr;
    bool link_up_;
    bool holding_ = false;
    bool stopped_ = false;
    std::deque<Event> outbox_;
    std::vector<bus::Request> requests_;
    std::map<std::string, RoomState> rooms_;
    std::uint64_t next_epoch_ = 1;
    std::vector<bus::PluginBroadcast> broadcasts_;
    std::vector<std::string> disconnects_told_b_;
    std::mutex report_mutex_;  // one report at a time, in outbox order
};

}  // namespace chatd::testing
