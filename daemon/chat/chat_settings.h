// The chat settings that a reload can change while sessions stay connected.
#pragma once

#include <cstddef>
#include <string>

namespace chatd::chat {

struct ChatSettings {
    std::string default_room = "lobby";
    std::size_t history_size = 100;
    std::size_t max_text_bytes = 4096;
    std::size_t max_rooms = static_cast<std::size_t>(-1);       // limits.max_rooms
    std::size_t max_room_users = static_cast<std::size_t>(-1);  // limits.max_room_users
};

}  // namespace chatd::chat
