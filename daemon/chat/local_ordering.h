// LocalOrdering: this shard numbers the room's messages itself, keeps its
// history and answers joins and renames at once. Every room of the
// in-memory bus is ordered so, and a shared room while Redis is unreachable
// (SharedOrdering hands it the joins and messages it still held then).
#pragma once

#include <functional>

#include "chat/room_ordering.h"

namespace chatd::chat {

class Hub;
class RoomOutput;
class ShardRooms;

class LocalOrdering final : public RoomOrdering {
public:
    LocalOrdering(Hub& hub, RoomOutput& output, ShardRooms& rooms) : hub_(hub), output_(output), rooms_(rooms) {}

    void join(Room& room, JoinRequest request) override;
    void rename(Room& room, RenameRequest request) override;
    void publish(Room& room, MemberMessage message) override;
    void history(Room& room, const HistoryCommand& request) override;
    void left(Room& room, const SessionRef& who, const std::string& nick) override;

    // Moves the joiner, already a member, into the room: a newcomer (empty
    // `old_nick`) is announced; a member joining again is renamed to the
    // join's nick when it differs from `old_nick`.
    void enter(Room& room, const JoinRequest& request);
    // Numbers a message from `from`, keeps it in the history and delivers it.
    void deliver(Room& room, const std::string& from, std::string_view text,
                 const std::optional<std::string>& request_id, util::SteadyTime started = {});
    // The welcome from the room's own epoch, seq and history (what `since` asks for).
    void welcome(const Room& room, const SessionRef& who, const std::string& nick,
                 const std::optional<protocol::Since>& since, std::uint64_t serial);

private:
    Hub& hub_;
    RoomOutput& output_;
    ShardRooms& rooms_;
};

}  // namespace chatd::chat
