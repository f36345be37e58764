// RoomOutput: everything the room core says, written once for both
// orderings: answers and errors to one session, the welcome that moves a
// session into a room, presence and messages to a room's members (one
// encoded frame handed to each IO loop with members), and the join/leave
// notes to the plugins. Used by one hub shard's thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chat/session_ref.h"
#include "net/shared_frame.h"
#include "protocol/events.h"
#include "util/clock.h"

namespace chatd::chat {

class Hub;
class Room;

// The position and content a welcome is built from: the room's own (local
// ordering) or the sync point the bus placed the joiner at (shared ordering).
struct WelcomeState {
    std::string_view epoch;
    std::uint64_t seq = 0;
    std::span<const std::string> users;  // capped at chat.welcome_users, the joiner's own first
    std::span<const std::string_view> history_json;  // encoded message objects, oldest first
    bool recovered = false;
    std::size_t count = 0;  // the room's members (users.size() when it lists them all)
};

// A chat message encoded once for every member: `raw` only when the room has raw members.
struct MessageFrames {
    net::SharedFrame json;
    net::SharedFrame raw;
};

class RoomOutput {
public:
    explicit RoomOutput(Hub& hub) : hub_(hub) {}

    // An `error` to one session (raw sessions have no error channel: logged).
    void error(const SessionRef& who, std::string_view code, std::string_view reason,
               const std::optional<std::string>& request_id);
    // bad_request: the session spoke for a room it is not in.
    void notInRoom(const SessionRef& who, std::string_view room, const std::optional<std::string>& request_id);
    // nick_taken for a join or a rename.
    void nickTaken(const Room& room, const SessionRef& who, std::string_view nick,
                   const std::optional<std::string>& request_id);
    // The session's join `serial` failed (nobody to tell, or told already).
    void joinFailed(const SessionRef& who, std::uint64_t serial);
    // The join `serial` was refused with error `code`: in one task on the
    // session's loop, the session forgets the join and then gets the error,
    // so a client acting on the error finds the session back in its room.
    void joinRefused(const SessionRef& who, std::uint64_t serial, std::string_view code, std::string_view reason,
                     const std::optional<std::string>& request_id);
    // nick_taken for a join (joinRefused).
    void refuseJoin(const Room& room, const SessionRef& who, std::string_view nick,
                    const std::optional<std::string>& request_id, std::uint64_t serial);

    // Sends the welcome (JSON sessions; cut to fit the send queue,
    // welcome_frame.h) and moves the session into the room on its IO loop.
    void welcome(const Room& room, const SessionRef& who, const std::string& nick, const WelcomeState& state,
                 std::uint64_t serial);
    // The answer to a `history` request: as many of the newest of
    // `messages_json` as fit in half the send queue (`more` when some were cut).
    void historyPage(const Room& room, const SessionRef& who, std::string_view epoch,
                     std::span<const std::string_view> messages_json, bool more,
                     const std::optional<std::string>& request_id);
    // The answer to a `users` request: one page of the member list.
    void usersPage(const Room& room, const SessionRef& who, std::span<const std::string> users,
                   const std::optional<std::string>& next, std::size_t count,
                   const std::optional<std::string>& request_id);
    // The session's nick is now `nick`.
    void renamed(const SessionRef& who, const std::string& nick);

    // A presence event (`count`: the members after it; `reason`: a leave's,
    // "" for none): to the room's JSON members at once while `count` is at
    // most chat.presence_max_members (a batch still waiting goes first);
    // beyond it, into the room's batch (presence_batch.h), and a renamed
    // member here gets its own `nick` event at once (room_presence.cpp).
    void presence(Room& room, std::string_view event, std::string_view nick,
                  std::optional<std::string_view> old_nick, std::size_t count, std::string_view reason = {});
    // Sends the room's batch when it is due (or at once with `now` = nullopt).
    void flushPresence(Room& room, std::optional<util::SteadyTime> now = std::nullopt);
    // The rooms whose batches are due by `now` (taken off the schedule).
    std::vector<std::string> takeDuePresence(util::SteadyTime now);
    // When the next batch is due (SteadyTime::max() when none waits).
    util::SteadyTime nextPresenceDue() const;
    MessageFrames encode(const Room& room, const protocol::ChatMessage& message) const;
    // Hands `frames` to every IO loop with members of the room; `started`
    // (when the message arrived) feeds the fan-out latency histogram.
    void deliver(const Room& room, const MessageFrames& frames, util::SteadyTime started);

    // Tells session `who` it was removed from `room` by `by` (the `kicked`
    // event, or a line for a raw client) and takes it out of the room on its loop.
    void kicked(const SessionRef& who, const std::string& room, const std::string& reason, const std::string& by);

    // The plugins hear of a member who joined or left.
    void pluginsJoined(const Room& room, const SessionRef& who, const std::string& nick);
    void pluginsLeft(const Room& room, const SessionRef& who, const std::string& nick);

private:
    void toMembers(const Room& room, const net::SharedFrame& json, const net::SharedFrame& raw,
                   util::SteadyTime started);
    // One presence event to every JSON member.
    void presenceNow(const Room& room, std::string_view event, std::string_view nick,
                     std::optional<std::string_view> old_nick, std::size_t count, std::string_view reason);

    Hub& hub_;
    std::multimap<util::SteadyTime, std::string> presence_due_;  // room batches by due time
};

}  // namespace chatd::chat
