// The bans and mutes in force, with who set them, when, why and until when;
// kept in a JSON file written atomically (temp file + fsync + rename + fsync
// of the directory). Shared across instances: every entry carries the time of
// its last action, and a peer's entry replaces ours only when its action is
// later (last writer wins); an unban/unmute is kept as a `lifted` tombstone
// (until the lifted entry would have lapsed, at most kTombstoneMs) so an old
// copy of the entry cannot come back from a peer that missed the lift.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "targets.h"

namespace chatd::plugins::moderation {

enum class Kind { Ban, Mute };

struct Entry {
    Kind kind = Kind::Ban;
    std::string target;         // a nick (lower case) or a network's canonical text
    bool network = false;       // target is an address / CIDR network
    std::string room;           // "" = everywhere
    std::string by;             // who set it ("admin", a moderator's nick)
    std::string reason;
    std::int64_t set_ms = 0;    // when, ms since the Unix epoch
    std::int64_t until_ms = 0;  // when it lapses; 0 = forever
    bool lifted = false;        // a tombstone: unbanned/unmuted at set_ms by `by`

    bool active(std::int64_t now_ms) const { return !lifted && (until_ms == 0 || now_ms < until_ms); }
    // Whether this entry's action supersedes `other`'s (same kind, target and room).
    bool newerThan(const Entry& other) const;
    bool appliesTo(std::string_view nick_lower, const std::optional<Network>& address, std::string_view in_room) const;
};

// How long at most a tombstone is kept.
inline constexpr std::int64_t kTombstoneMs = 7LL * 24 * 3600 * 1000;

const char* kindName(Kind kind);
// "nick" -> "nick" (lower case) or an address -> its network text; the
// second member says which.
std::pair<std::string, bool> normaliseTarget(std::string_view text);
std::string lowerAscii(std::string_view text);

class ModerationStore {
public:
    // Adds or replaces the entry of the same kind, target and room.
    void put(Entry entry);
    // Removes the entry of that kind, target and room; false when none.
    bool remove(Kind kind, const std::string& target, const std::string& room);
    // Replaces the active entry of that kind, target and room with a
    // tombstone lifted by `by` at (about) now_ms and returns it; nullopt when
    // no such entry is in force.
    std::optional<Entry> lift(Kind kind, const std::string& target, const std::string& room, const std::string& by,
                              std::int64_t now_ms);
    // A time for a new action on that kind, target and room: now_ms, or just
    // after the entry's own action when a peer's clock ran ahead.
    std::int64_t actionTime(Kind kind, const std::string& target, const std::string& room, std::int64_t now_ms) const;
    // A peer's entry (or tombstone), kept when its action is later than ours
    // for that kind, target and room and it has not lapsed. True when it changed the store.
    bool merge(const Entry& entry, std::int64_t now_ms);
    // Takes out the entries that have lapsed by `now_ms` and returns them
    // (tombstones past their time go silently).
    std::vector<Entry> expire(std::int64_t now_ms);
    // The first active entry of `kind` that applies to that nick/address in `room`.
    std::optional<Entry> find(Kind kind, std::string_view nick, std::string_view address, std::string_view room,
                              std::int64_t now_ms) const;
    std::vector<Entry> list(Kind kind, std::int64_t now_ms) const;
    // Every entry, tombstones included (what a peer's sync gets).
    const std::vector<Entry>& entries() const { return entries_; }
    // How many bans and mutes are in force (tombstones not counted).
    std::size_t activeCount(std::int64_t now_ms) const;

    std::string toJson() const;
    // Replaces the entries with those of a file written by toJson(); throws
    // std::invalid_argument on a malformed document.
    void loadJson(std::string_view text);
    // Writes toJson() to `path` atomically; throws std::runtime_error.
    void save(const std::string& path) const;
    // Loads `path`; false (store left empty) when the file does not exist.
    bool load(const std::string& path);

private:
    std::vector<Entry> entries_;
};

// One entry as a JSON object (lists, the state file, broadcasts); a
// tombstone has "lifted":true.
std::string entryJson(const Entry& entry);

struct JsonValue;
// An entry from what entryJson wrote; throws std::invalid_argument.
Entry entryFromJson(const JsonValue& item);

}  // namespace chatd::plugins::moderation
