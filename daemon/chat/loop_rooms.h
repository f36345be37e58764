// LoopRooms: the chat state of one IO loop: its open sessions (by id, for
// the hub's answers) and which of them are in which room. Only that loop's
// thread touches it (asserted in checked builds when built with the loop),
// so a broadcast reaches its local members with no lock: one pass over a
// vector, one shared frame pushed per member.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat/session_ref.h"
#include "net/shared_frame.h"

namespace chatd::net {
class Connection;
class IoLoop;
}  // namespace chatd::net

namespace chatd::chat {

class Session;

class LoopRooms {
public:
    LoopRooms() = default;
    // Checks (in builds with CHATD_CHECK_THREADS) that only `loop`'s thread calls.
    explicit LoopRooms(const net::IoLoop& loop) : loop_(&loop) {}

    // A session is attached while its connection is open.
    void attach(std::uint64_t session_id, Session& session);
    void detach(std::uint64_t session_id);
    Session* findSession(std::uint64_t session_id) const;

    void add(const std::string& room, net::Connection& connection, Mode mode);
    void remove(const std::string& room, net::Connection& connection);
    // Queues `json` to JSON members and `raw` (if set) to raw members.
    void deliver(const std::string& room, const net::SharedFrame& json, const net::SharedFrame& raw);

private:
    void assertLoopThread(const char* caller = __builtin_FUNCTION()) const;

    struct Entry {
        net::Connection* connection;
        Mode mode;
    };
    const net::IoLoop* loop_ = nullptr;
    std::unordered_map<std::uint64_t, Session*> sessions_;
    std::unordered_map<std::string, std::vector<Entry>> rooms_;
    // Where each member connection sits in its room's vector (a connection
    // is in one room of a loop at a time).
    std::unordered_map<const net::Connection*, std::size_t> slots_;
    bool delivering_ = false;  // a room's list must not be erased mid-delivery
};

}  // namespace chatd::chat
