// The chat settings that a reload can change while sessions stay connected.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace chatd::chat {

struct ChatSettings {
    std::string default_room = "lobby";
    std::size_t history_size = 100;
    std::size_t history_bytes = 512 * 1024;                // per room (chat.history_bytes)
    std::size_t history_total_bytes = 256 * 1024 * 1024;   // all rooms (chat.history_total_bytes)
    std::size_t max_text_bytes = 4096;
    std::size_t max_rooms = static_cast<std::size_t>(-1);       // limits.max_rooms
    std::size_t max_room_users = static_cast<std::size_t>(-1);  // limits.max_room_users
    // limits.send_queue_bytes: a welcome's history is kept within half of it,
    // so that the welcome alone never closes its client as a slow consumer.
    std::size_t send_queue_bytes = 1'048'576;
    // limits.session_pending_commands / limits.shard_queue_bytes: backpressure
    // (Session::holdBackIfBusy): a session with this many messages at its
    // shard, or sending to a shard whose mailbox holds more bytes, stops being read.
    std::size_t session_pending_commands = 64;
    std::size_t shard_queue_bytes = 64 * 1024 * 1024;
    // limits.session_messages_per_second / limits.session_message_burst:
    // flood control (Session::paceMessages): a session that sent its burst
    // of chat messages is not read again until its bucket has a token.
    // session_messages_per_second 0: off.
    std::size_t session_messages_per_second = 10;
    std::size_t session_message_burst = 30;
    // chat.join_nick_per_second / chat.join_nick_burst: each session's budget
    // of `join` and `nick` requests (each costs work in proportion to the room).
    // join_nick_per_second 0: unlimited.
    std::size_t join_nick_per_second = 5;
    std::size_t join_nick_burst = 10;
    // chat.presence_max_members / chat.presence_interval: rooms with more
    // members get joins, leaves and renames as one `presence` `batch` per
    // interval (presence_batch.h); smaller rooms one event each.
    std::size_t presence_max_members = 500;
    std::chrono::milliseconds presence_interval{1'000};
    // chat.welcome_users: the most nicks a welcome lists (the joiner's own first).
    std::size_t welcome_users = 200;
};

}  // namespace chatd::chat
