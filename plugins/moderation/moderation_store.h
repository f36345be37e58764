// The bans and mutes in force, with who set them, when, why and until when;
// kept in a JSON file written atomically (temp file + rename).
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

    bool active(std::int64_t now_ms) const { return until_ms == 0 || now_ms < until_ms; }
    bool appliesTo(std::string_view nick_lower, const std::optional<Network>& address, std::string_view in_room) const;
};

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
    // Takes out the entries that have lapsed by `now_ms` and returns them.
    std::vector<Entry> expire(std::int64_t now_ms);
    // The first active entry of `kind` that applies to that nick/address in `room`.
    std::optional<Entry> find(Kind kind, std::string_view nick, std::string_view address, std::string_view room,
                              std::int64_t now_ms) const;
    std::vector<Entry> list(Kind kind, std::int64_t now_ms) const;
    const std::vector<Entry>& entries() const { return entries_; }

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

// One entry as a JSON object (lists and the state file).
std::string entryJson(const Entry& entry);

}  // namespace chatd::plugins::moderation
