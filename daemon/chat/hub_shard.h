// HubShard: one thread that owns a subset of the rooms (by hash of the name).
// It runs the plugin pipeline on every message, then either orders the room
// itself (Ordering::Local: it assigns sequence numbers, keeps history and
// hands one encoded frame per broadcast to each IO loop with members) or
// hands the message to the shared bus and delivers what comes back from it in
// the bus' order (Ordering::Shared). hub_shard.cpp holds the session commands
// and local ordering, hub_shard_join.cpp the join command and the welcome,
// hub_shard_shared.cpp everything about the shared bus.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chat/chat_settings.h"
#include "chat/hub_commands.h"
#include "chat/room.h"
#include "protocol/events.h"
#include "util/clock.h"
#include "util/thread_owner.h"

namespace chatd::chat {

class Hub;

class HubShard {
public:
    HubShard(Hub& hub, unsigned index);
    ~HubShard();
    HubShard(const HubShard&) = delete;
    HubShard& operator=(const HubShard&) = delete;

    void start();
    // Executes what is queued, then ends the thread.
    void stop();
    void post(HubCommand command);
    std::size_t roomCount() const { return room_count_.load(std::memory_order_relaxed); }
    // Bytes the histories of this shard's rooms hold (any thread).
    std::size_t historyBytes() const { return history_bytes_.load(std::memory_order_relaxed); }

private:
    void run();
    void execute(JoinCommand& command);
    void execute(MessageCommand& command);
    void execute(NickCommand& command);
    void execute(LeaveCommand& command);
    void execute(BusEventCommand& command);
    void execute(BusStateCommand& command);

    Room& roomNamed(const std::string& name);
    Room* findRoom(const std::string& name);
    const Member* memberFor(const SessionRef& who, const std::string& room_name,
                            const std::optional<std::string>& request_id, Room*& room);
    std::string uniqueGuestNick(const Room& room);
    // `serial`: the JoinCommand's, echoed to the session with every answer.
    void refuseJoin(const Room& room, const SessionRef& who, const std::string& nick,
                    const std::optional<std::string>& request_id, std::uint64_t serial);
    // Joins with local ordering (hub_shard_join.cpp).
    void joinLocally(Room& room, const SessionRef& who, const std::string& nick, const std::string& old_nick,
                     const std::optional<protocol::Since>& since, std::uint64_t serial);
    // `started`: when the message arrived, for the fan-out latency histogram.
    void deliverLocally(Room& room, const std::string& from, std::string_view text,
                        const std::optional<std::string>& request_id, util::SteadyTime started = {});
    void welcome(Room& room, const SessionRef& who, const std::string& nick,
                 const std::optional<protocol::Since>& since, std::uint64_t serial);
    void enterRoom(const Room& room, const SessionRef& who, const std::string& nick, net::SharedFrame welcome,
                   std::uint64_t serial);
    void broadcast(Room& room, const net::SharedFrame& json, const net::SharedFrame& raw,
                   util::SteadyTime started = {});
    void broadcastMessage(Room& room, const protocol::ChatMessage& message);
    // limits.max_rooms / max_room_users: false (after answering the joiner) when the join must be refused.
    bool roomLimitsAllow(const JoinCommand& command, const Room* room, bool already_member);
    void broadcastPresence(Room& room, std::string_view event, std::string_view nick,
                           std::optional<std::string_view> old_nick, std::size_t count);
    void sendError(const SessionRef& who, std::string_view code, std::string_view reason,
                   const std::optional<std::string>& request_id);
    void evictIdleRooms();
    // Keeps this shard's history within its share of chat.history_total_bytes.
    void boundHistory(const ChatSettings& settings);

    // Shared ordering (hub_shard_shared.cpp).
    void joinShared(Room& room, JoinCommand& command, const std::string& old_nick, std::string nick, bool guest);
    void claimJoin(Room& room, std::uint64_t token, const PendingJoin& join);
    void renameShared(Room& room, NickCommand& command, const std::string& old_nick);
    void publishShared(Room& room, const Member& member, std::string text, std::optional<std::string> request_id);
    void leaveShared(Room& room, const SessionRef& who, const std::string& nick);
    void onRemoteMessage(Room& room, const bus::MessageRecord& message);
    void onRemotePresence(Room& room, const bus::RemotePresence& presence);
    void onSyncPoint(Room& room, bus::SyncPoint& point);
    void onClaimAnswer(Room& room, const bus::ClaimAnswer& answer);
    void onBounced(Room& room, bus::Request& request);
    void completeJoinShared(Room& room, PendingJoin& join, const bus::SyncPoint& point);
    void completeJoinLocally(Room& room, PendingJoin& join);
    void applyRename(Room& room, const PendingNick& rename, bool announce);
    void startSharing();
    void stopSharing();

    Hub& hub_;
    unsigned index_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<HubCommand> queue_;
    bool stopping_ = false;
    // Before rooms_: every room gives its history's bytes back when destroyed.
    std::atomic<std::size_t> history_bytes_{0};
    util::ThreadOwner owner_;  // the shard thread, while it runs: it alone touches rooms_
    std::unordered_map<std::string, std::unique_ptr<Room>> rooms_;
    std::atomic<std::size_t> room_count_{0};
    bool sharing_ = false;          // the bus shares rooms now: new rooms start Syncing
    std::uint64_t next_token_ = 1;  // names claims and resyncs
};

}  // namespace chatd::chat
