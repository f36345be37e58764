// The records chatd instances exchange through Redis, as the Lua scripts
// (redis_scripts.cpp) write them: a list of length-prefixed fields,
// "<len>:<bytes>" each, the first naming the kind.
//
//   M epoch seq ts from id text [origin]
//                                 a chat message (room channel, history stream);
//                                 id is "" (none) or "=" followed by the id;
//                                 origin ("plugin"/"admin") only for a post
//   P event count nick old_nick origin flag [reason]
//                                 presence (room channel); flag "r" = a resync;
//                                 reason ("kicked") only for a leave that has one.
//                                 (origin in P is the instance, not a post's origin.)
// The optional last fields are appended only when set, so a record without
// them is the one chatd 0.1 wrote and still reads.
//   S room token epoch seq recovered users message...
//                                 a sync point (the instance's own channel);
//                                 users are joined by spaces, each message an M record
//   H                             a heartbeat that went round (own channel)
//   K nick reason by              kick the member holding nick (room channel; 1.1)
//   D nick reason                 close every session holding nick (the holder
//                                 instance's own channel; chatdctl disconnect)
//   X instance plugin payload     a plugin's broadcast (P plugins, every instance)
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/bus.h"

namespace chatd::bus {

// A whole field that is a decimal number (as the scripts write seqs,
// counts and times), or nullopt.
template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
    Number value{};
    if (text.empty()) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// Appends one "<len>:<bytes>" field to `out`.
void appendField(std::string& out, std::string_view field);

// The fields of `record`, or nullopt when it is malformed.
std::optional<std::vector<std::string_view>> splitFields(std::string_view record);

// The part of an M record the publishing instance writes: from, id, text
// and (a post only) origin; the script prefixes the kind, epoch, seq and ts.
std::string encodeMessageBody(std::string_view from, std::string_view text, const std::optional<std::string>& id,
                              std::string_view origin = {});

// A whole M record (tests and tools; the scripts build the real ones).
std::string encodeMessageRecord(const MessageRecord& message);

std::optional<MessageRecord> decodeMessageRecord(std::string_view record);

// Decodes a P record; `own_instance` marks re-registrations of our own members.
std::optional<RemotePresence> decodePresenceRecord(std::string_view record, std::string_view own_instance);

// An S record: the room it is for, and the sync point.
struct SyncRecord {
    std::string room;
    SyncPoint point;
};
std::optional<SyncRecord> decodeSyncRecord(std::string_view record);

// A K record (the whole record: RedisCalls publishes it as is).
std::string encodeKickRecord(const KickRequest& kick);
std::optional<RemoteKick> decodeKickRecord(std::string_view record);

// A D record: an operator's disconnect by nick, for the instance holding it.
struct DisconnectRecord {
    std::string nick;
    std::string reason;
};
std::string encodeDisconnectRecord(std::string_view nick, std::string_view reason);
std::optional<DisconnectRecord> decodeDisconnectRecord(std::string_view record);

// An X record: a plugin's broadcast from instance `instance`.
struct PluginRecord {
    std::string instance;
    PluginBroadcast broadcast;
};
std::string encodePluginRecord(std::string_view instance, const PluginBroadcast& broadcast);
std::optional<PluginRecord> decodePluginRecord(std::string_view record);

// The kind of a record: 'M', 'P', 'S', 'H', or '\0' when malformed.
char recordKind(std::string_view record);

}  // namespace chatd::bus
