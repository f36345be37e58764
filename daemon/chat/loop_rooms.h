// LoopRooms: which of one IO loop's sessions are in which room. Only that
// loop's thread touches it, so a broadcast reaches its local members with no
// lock: one pass over a vector, one shared frame pushed per member.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat/session_ref.h"
#include "net/shared_frame.h"

namespace chatd::net {
class Connection;
}

namespace chatd::chat {

class LoopRooms {
public:
    void add(const std::string& room, net::Connection& connection, Mode mode);
    void remove(const std::string& room, net::Connection& connection);
    // Queues `json` to JSON members and `raw` (if set) to raw members.
    void deliver(const std::string& room, const net::SharedFrame& json, const net::SharedFrame& raw);

private:
    struct Entry {
        net::Connection* connection;
        Mode mode;
    };
    std::unordered_map<std::string, std::vector<Entry>> rooms_;
    bool delivering_ = false;  // a room's list must not be erased mid-delivery
};

}  // namespace chatd::chat
