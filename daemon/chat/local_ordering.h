// LocalOrdering: this shard numbers the room's messages itself, keeps its
// history and answers joins and renames at once. Every room of the
// in-memory bus is ordered so, and a shared room while Redis is unreachable
// (SharedOrdering hands it the joins and messages it still held then).
#pragma once

#include <string>
#include <vector>

#include "chat/chat_settings.h"
#include "chat/room_history.h"
#include "chat/room_ordering.h"
#include "chat/room_output.h"

namespace chatd::chat {

class Hub;
class ShardRooms;

class LocalOrdering final : public RoomOrdering {
public:
    LocalOrdering(Hub& hub, RoomOutput& output, ShardRooms& rooms) : hub_(hub), output_(output), rooms_(rooms) {}

    void join(Room& room, JoinRequest request) override;
    void rename(Room& room, RenameRequest request) override;
    void publish(Room& room, MemberMessage message) override;
    void post(Room& room, PostedMessage message) override;
    void history(Room& room, const HistoryCommand& request) override;
    void left(Room& room, const SessionRef& who, const std::string& nick, std::string_view reason = {}) override;

    // Moves the joiner, already a member, into the room: a newcomer (empty
    // `old_nick`) is announced; a member joining again is renamed to the
    // join's nick when it differs from `old_nick`.
    void enter(Room& room, const JoinRequest& request);
    // Numbers a message from `from` and delivers it once kept: at once in
    // the room's history, or after the message store kept it (onStored).
    // `sender` is told when it could not be kept. `origin`: "" for a
    // member's message, "plugin"/"admin" for a post.
    void deliver(Room& room, const std::string& from, std::string_view text,
                 const std::optional<std::string>& request_id, std::optional<SessionRef> sender,
                 util::SteadyTime started = {}, std::string_view origin = {});
    // The store's answer about a message numbered here (local_ordering_store.cpp).
    void onStored(Room& room, StoredCommand& stored);
    // A new room takes the epoch, seq and recent messages the store kept of it.
    void restore(Room& room);
    // The welcome from the room's own epoch, seq and history (what `since` asks for).
    void welcome(const Room& room, const SessionRef& who, const std::string& nick,
                 const std::optional<protocol::Since>& since, std::uint64_t serial);

private:
    // chat.history_size and chat.history_bytes, as a room's history takes them.
    static HistoryLimits historyLimits(const ChatSettings& settings) {
        return HistoryLimits{settings.history_size, settings.history_bytes};
    }
    // Into the room's history, and out to its members.
    void keep(Room& room, std::uint64_t seq, const MessageFrames& frames, util::SteadyTime started);
    // Hands `message` to the store; `stored` comes back as a hub command.
    void store(const Room& room, const protocol::ChatMessage& message, StoredCommand stored);
    void historyFromStore(const Room& room, const HistoryCommand& request);
    // Everything after `since` from the store when the room's history no
    // longer holds it (empty: not asked, another epoch, or not all kept).
    std::vector<std::string> missedFromStore(const Room& room, const std::optional<protocol::Since>& since);

    Hub& hub_;
    RoomOutput& output_;
    ShardRooms& rooms_;
};

}  // namespace chatd::chat
