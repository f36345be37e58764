// What sessions ask of the hub. Each command is executed by the shard that
// owns the room it names, in the order one IO loop posted them.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "chat/session_ref.h"
#include "protocol/requests.h"

namespace chatd::chat {

struct JoinCommand {
    SessionRef who;
    std::string room;
    std::string nick;  // empty: the hub picks guest-<n>
    std::optional<protocol::Since> since;
    std::optional<std::string> request_id;
};

struct MessageCommand {
    SessionRef who;
    std::string room;
    std::string text;
    std::optional<std::string> request_id;
};

struct NickCommand {
    SessionRef who;
    std::string room;
    std::string nick;
    std::optional<std::string> request_id;
};

struct LeaveCommand {
    SessionRef who;
    std::string room;
};

using HubCommand = std::variant<JoinCommand, MessageCommand, NickCommand, LeaveCommand>;

}  // namespace chatd::chat
