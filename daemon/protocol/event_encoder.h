// Encodes chatd.v1 server -> client events as JSON text (the payload of one
// text frame; WebSocket framing is not done here).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/events.h"

namespace chatd::protocol {

// {"type":"message","room","epoch","seq","ts","from","text","id"?,"origin"?}
// (origin only for a post: "plugin" or "admin").
std::string encodeMessage(const ChatMessage& message);

// What a raw client is sent for a message: its text; a post (with an
// origin) is marked as "[<origin>] <from>: <text>" so that no member can
// pass for a bot or the operator.
std::string rawMessageText(const ChatMessage& message);

// {"type":"welcome","session","nick","room","epoch","seq","users":[...],
//  "history":[...],"recovered","max_text_bytes","count","users_complete"}
std::string encodeWelcome(const Welcome& welcome);

// {"type":"presence","room","event","nick","old_nick"?,"count","reason"?}
// event is "join", "leave" or "nick" (see presence_event); `reason` (a
// leave's, e.g. "kicked") is written only when not empty.
std::string encodePresence(std::string_view room, std::string_view event, std::string_view nick,
                           std::optional<std::string_view> old_nick, std::size_t count,
                           std::string_view reason = {});

// {"type":"presence","event":"batch","room","joined":[...],"left":[...],
//  "renamed":[{"old_nick","nick"}...],"joined_count","left_count","count"}
std::string encodePresenceBatch(const PresenceBatch& batch);

// {"type":"users","room","users":[...],"next"?,"count","id"?}: an answer to `users`.
std::string encodeUsers(const UsersPage& page);

// {"type":"kicked","room","reason","by"}: this session was removed from `room`.
std::string encodeKicked(std::string_view room, std::string_view reason, std::string_view by);

// The line a raw client is sent instead: "[kicked] removed from <room> by <by>: <reason>"
// (": <reason>" only when there is one).
std::string rawKickedText(std::string_view room, std::string_view reason, std::string_view by);

// {"type":"history","room","epoch","messages":[...],"more","id"?}: an answer
// to `history`; `messages_json` are encoded message objects, oldest first.
std::string encodeHistory(std::string_view room, std::string_view epoch, std::span<const std::string_view> messages_json,
                          bool more, std::optional<std::string_view> id);

// {"type":"error","code","reason","id"?}
std::string encodeError(std::string_view code, std::string_view reason, std::optional<std::string_view> id);

// {"type":"notice","from","text"}: a plugin's reply to the sender only
// (an addition to v1).
std::string encodeNotice(std::string_view from, std::string_view text);

}  // namespace chatd::protocol
