// SharedOrdering: rooms the Redis bus shares with other instances. Joins and
// renames are claimed across instances (the nick is held here until Redis
// answers), messages go to the bus after the plugins, and what the bus
// reports is delivered in its order: shared_ordering.cpp holds the session
// side, shared_ordering_events.cpp what the bus reports, and
// shared_ordering_outage.cpp what happens when Redis goes away and comes
// back (docs/scaling.md).
#pragma once

#include <cstdint>

#include "bus/bus.h"
#include "chat/room_ordering.h"
#include "chat/room_sharing.h"

namespace chatd::chat {

class Hub;
class LocalOrdering;
class RoomOutput;
class ShardRooms;

class SharedOrdering final : public RoomOrdering {
public:
    SharedOrdering(Hub& hub, RoomOutput& output, ShardRooms& rooms, LocalOrdering& local)
        : hub_(hub), output_(output), rooms_(rooms), local_(local) {}

    void join(Room& room, JoinRequest request) override;
    void rename(Room& room, RenameRequest request) override;
    void publish(Room& room, MemberMessage message) override;
    void post(Room& room, PostedMessage message) override;
    void history(Room& room, const HistoryCommand& request) override;
    void left(Room& room, const SessionRef& who, const std::string& nick, std::string_view reason = {}) override;
    // A post into a room this shard does not hold (no member here): Redis
    // numbers and keeps it, the instances with members deliver it.
    void postWithoutRoom(const std::string& room, PostedMessage message);

    // What the bus reports about one of this shard's rooms.
    void onEvent(Room& room, bus::RoomEvent& event);
    // The bus started (true) or stopped sharing rooms.
    void onSharingChanged(bool sharing);
    // True while the bus shares rooms: a new room waits for its first sync point.
    bool sharing() const { return sharing_; }

private:
    void claimJoin(Room& room, std::uint64_t token, const PendingJoin& join);
    void onRemoteMessage(Room& room, const bus::MessageRecord& message);
    void onRemotePresence(Room& room, const bus::RemotePresence& presence);
    void onSyncPoint(Room& room, bus::SyncPoint& point);
    void onClaimAnswer(Room& room, const bus::ClaimAnswer& answer);
    void onJoinRefused(Room& room, PendingJoin& join);
    void onHistoryAnswer(Room& room, const bus::HistoryAnswer& answer);
    // A kick by nick from some instance: carried out here when the nick is a member's here.
    void onRemoteKick(Room& room, const bus::RemoteKick& kick);
    void onBounced(Room& room, bus::Request& request);
    // The bus refused a message (too much waits for Redis): its sender is told.
    void onRefused(Room& room, const bus::PublishRequest& refused);
    void completeJoin(Room& room, PendingJoin& join, const bus::SyncPoint& point);
    void completeJoinLocally(Room& room, PendingJoin& join);
    // Applies a rename Redis granted (the bus announces it).
    void applyRename(Room& room, const PendingNick& rename);
    void publishToBus(const std::string& room, std::string from, std::string text,
                      std::optional<std::string> request_id, std::string_view origin = {});
    void startSharing();
    void stopSharing();

    Hub& hub_;
    RoomOutput& output_;
    ShardRooms& rooms_;
    LocalOrdering& local_;
    bool sharing_ = false;          // the bus shares rooms now: new rooms start Syncing
    std::uint64_t next_token_ = 1;  // names claims and resyncs
};

}  // namespace chatd::chat
