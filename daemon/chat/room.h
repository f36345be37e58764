// Room: the state of one chat room, owned by exactly one hub shard thread:
// members and their nicks, the sequence counter, the epoch, and the history
// ring used for `welcome` and for resuming with `since` (all for local
// ordering), plus what sharing the room through the Redis bus needs.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/message_store.h"
#include "chat/presence_batch.h"
#include "chat/room_history.h"
#include "chat/room_sharing.h"
#include "chat/session_ref.h"
#include "net/shared_frame.h"
#include "protocol/requests.h"
#include "util/clock.h"

namespace chatd::chat {

struct Member {
    SessionRef ref;
    std::string nick;
    bool joining = false;  // shared room: the join is not granted yet
};

// What a joiner is sent from the history.
struct HistorySlice {
    std::vector<std::string_view> messages_json;  // oldest first, views into held frames
    bool recovered = false;
};

// A page of the member list (the `users` request).
struct UsersPage {
    std::vector<std::string> users;  // case-insensitive order
    std::optional<std::string> next;  // the last listed, when more follow
};

// A page of older messages (the `history` request).
struct HistoryPage {
    std::vector<std::string_view> messages_json;  // oldest first, views into held frames
    bool more = false;                            // older ones are held
};

class Room {
public:
    // `history_total`: the shard's count of the bytes all its rooms' histories hold.
    Room(std::string name, std::string epoch, unsigned loop_count, Ordering ordering = Ordering::Local,
         std::atomic<std::size_t>* history_total = nullptr);

    const std::string& name() const { return name_; }
    const std::string& epoch() const { return epoch_; }
    // The last message delivered (kept in the history); the welcome's seq.
    std::uint64_t seq() const { return seq_; }
    std::size_t memberCount() const { return members_.size(); }
    std::size_t rawMemberCount() const { return raw_members_; }
    bool empty() const { return members_.empty(); }
    Ordering ordering() const { return ordering_; }
    bool isLocal() const { return ordering_ == Ordering::Local; }
    void setOrdering(Ordering ordering) { ordering_ = ordering; }
    RoomSharing& sharing() { return sharing_; }
    util::SteadyTime lastActivity() const { return last_activity_; }

    const Member* findMember(std::uint64_t session_id) const;
    // The session holding or reserving `nick` (case-insensitively), if any.
    std::optional<std::uint64_t> nickOwner(std::string_view nick) const;
    // Holds `nick` for a session whose rename Redis has not answered yet.
    void reserveNick(std::string_view nick, std::uint64_t session_id);
    void releaseNick(std::string_view nick, std::uint64_t session_id);
    bool addMember(const SessionRef& ref, std::string nick);
    // Returns the member's nick, or nullopt when it was not a member.
    std::optional<std::string> removeMember(std::uint64_t session_id);
    bool renameMember(std::uint64_t session_id, std::string nick);
    void setJoining(std::uint64_t session_id, bool joining);
    std::vector<std::string> nicks() const;
    // `own` first, then the others in case-insensitive order: at most `limit` nicks.
    std::vector<std::string> welcomeUsers(std::string_view own, std::size_t limit) const;
    // Up to `limit` nicks after `after` (folded) in case-insensitive order:
    // this shard's members, or in a shared room those every instance has
    // (sharing().known_members) once a sync point listed them.
    UsersPage usersPage(const std::optional<std::string>& after, std::size_t limit) const;
    // The member count a `users` answer gives (every instance's, in a shared room).
    std::size_t knownMemberCount() const;
    // The joins, leaves and renames waiting to go out as one `batch` (big rooms).
    PresenceBatch& presenceBatch() { return presence_batch_; }
    // Loops that hold at least one member (where a broadcast must go).
    const std::vector<std::uint32_t>& membersPerLoop() const { return per_loop_; }

    // Local numbering starts again under a new epoch, with an empty history.
    void startLocalEpoch(std::string epoch);
    void clearHistory() { history_.clear(); }

    // Takes the next sequence number for a message. With a message store it
    // is appended there first: numbered messages run ahead of seq() until
    // the store kept them.
    std::uint64_t nextSeq() { return ++numbered_; }
    // The store could not keep the messages numbered after seq(): numbering
    // goes on from seq() again, under a new generation (the messages of the
    // old one still on their way to the store are refused there).
    void renumber() {
        numbered_ = seq_;
        ++generation_;
    }
    std::uint64_t generation() const { return generation_; }
    // The room as the store kept it: its epoch, seq and newest messages.
    void restore(const StoredRoom& stored, const HistoryLimits& limits);
    // Keeps the encoded `message` frame of sequence number `seq` (the one
    // after seq()), which becomes seq(); drops the oldest beyond `limits`.
    void appendHistory(std::uint64_t seq, net::SharedFrame frame, const HistoryLimits& limits);
    // The held messages; the shard drops the oldest of them to bound its total.
    RoomHistory& history() { return history_; }
    const RoomHistory& history() const { return history_; }
    // The messages after `since` when they are all still held (recovered), or
    // else the most recent ones.
    HistorySlice historyAfter(const std::optional<protocol::Since>& since) const;
    // Up to `limit` held messages with seq < `before` (the newest when absent).
    HistoryPage historyBefore(std::optional<std::uint64_t> before, std::size_t limit) const;

private:

    std::string name_;
    std::string epoch_;
    std::uint64_t seq_ = 0;
    std::uint64_t numbered_ = 0;
    std::uint64_t generation_ = 0;
    std::unordered_map<std::uint64_t, Member> members_;
    std::map<std::string, std::uint64_t> nick_owner_;  // folded nick -> session id (ordered: `users` pages)
    std::unordered_map<std::string, std::uint64_t> reserved_;    // folded nick -> session id
    std::vector<std::uint32_t> per_loop_;
    std::size_t raw_members_ = 0;
    RoomHistory history_;
    util::SteadyTime last_activity_;
    Ordering ordering_;
    RoomSharing sharing_;
    PresenceBatch presence_batch_;
};

}  // namespace chatd::chat
