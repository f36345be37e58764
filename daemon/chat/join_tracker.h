// JoinTracker: a session's bookkeeping of overlapping joins. A client may
// send several joins back to back (`join B` then `join A`); their answers can
// come back in any order (rooms live on different hub shards) and each
// successful one made the session a member of its room on the shard. The
// tracker numbers every join, makes only the LAST one sent decide the room
// the session ends up in, and names the rooms the shard must be told to
// leave so that the shard's membership and the session always agree again.
// Pure bookkeeping: no threads, no I/O (the session acts on its answers).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace chatd::chat {

class JoinTracker {
public:
    // What the session must do after an answer.
    struct Outcome {
        bool won = false;                // this join was the last one sent: `room` is now current
        bool entered = false;            // won, and `room` was not current before
        std::string left;                // the room that stopped being current (empty: none)
        std::vector<std::string> leave;  // rooms to send the shard a leave for
    };

    // A join into `room` is sent: returns the serial its answer must carry.
    std::uint64_t sent(const std::string& room);
    // The shard made the session a member of `room` (answer to join `serial`).
    Outcome joined(const std::string& room, std::uint64_t serial);
    // The shard refused join `serial`: rooms that no join will claim any more.
    std::vector<std::string> failed(std::uint64_t serial);
    // The session ends: every room the shard holds it in (joins still
    // unanswered are undone by the hub when their answer finds no session).
    std::vector<std::string> closing();
    // The shard removed the session from `room` (a kick): true when it was
    // the current room, which is now none; a room held besides it is
    // forgotten (there is nothing left to leave).
    bool kicked(const std::string& room);

    // The room whose messages the session receives ("" before any join).
    const std::string& current() const { return current_; }
    // Where requests go: the room of the last join sent while it is
    // unanswered, else the current room.
    const std::string& target() const;
    // True while the last join sent is unanswered.
    bool lastPending() const { return pending_.count(last_) > 0; }

private:
    // Moves the rooms that are neither current nor named by an unanswered
    // join from extra_ to `out`.
    void release(std::vector<std::string>& out);
    bool namedByPending(const std::string& room) const;

    std::uint64_t last_ = 0;  // serial of the last join sent
    std::string current_;
    std::map<std::uint64_t, std::string> pending_;  // unanswered joins: serial -> room
    std::set<std::string> extra_;  // rooms the shard holds the session in besides current_
};

}  // namespace chatd::chat
