// SessionDirectory: what this instance knows of its sessions, readable from
// any thread: who a session is (address, mode, since, token claims), which
// room it is in under which nick. Sessions keep their own entry up to date
// (on their IO loop); plugins (session_info, find_session) and the control
// socket (`who`, `rooms`, `kick NICK`) read it. One mutex: it is written on
// connect, join, rename, leave and close only, never per message.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chat/session_ref.h"

namespace chatd::chat {

struct SessionEntry {
    std::uint64_t id = 0;
    std::string session;  // as clients see it
    Mode mode = Mode::Json;
    std::string address;
    std::int64_t connected_ms = 0;  // ms since the Unix epoch
    std::string claims_json;        // "" when auth is off
    std::string room;               // "" when in none
    std::string nick;               // "" before the first join
};

// One room as `rooms` lists it: its local members.
struct RoomSummary {
    std::string room;
    std::size_t members = 0;
};

class SessionDirectory {
public:
    void add(SessionEntry entry);
    void remove(std::uint64_t id);
    // The session is now in `room` as `nick` (room "" = in none).
    void placed(std::uint64_t id, const std::string& room, const std::string& nick);

    std::optional<SessionEntry> find(std::uint64_t id) const;
    // The session in `room` whose nick equals `nick` case-insensitively.
    std::optional<std::uint64_t> findNick(std::string_view room, std::string_view nick) const;
    // Every session here whose nick equals `nick` case-insensitively, in a
    // room or not (one kicked from its room keeps its nick).
    std::vector<std::uint64_t> findNickAnywhere(std::string_view nick) const;
    // The members of `room` on this instance, by nick (case-insensitive order).
    std::vector<SessionEntry> members(std::string_view room) const;
    // Every room with members here, by name.
    std::vector<RoomSummary> rooms() const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, SessionEntry> sessions_;
    std::map<std::string, std::vector<std::uint64_t>, std::less<>> rooms_;  // room -> session ids
};

}  // namespace chatd::chat
