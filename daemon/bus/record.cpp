#include "bus/record.h"

#include <charconv>
#include <cstdint>

namespace chatd::bus {

namespace {

// The fields of a record of `kind` with at least `count` fields.
std::optional<std::vector<std::string_view>> fieldsOf(std::string_view record, std::string_view kind,
                                                      std::size_t count) {
    auto fields = splitFields(record);
    if (!fields || fields->size() < count || (*fields)[0] != kind) return std::nullopt;
    return fields;
}

}  // namespace

void appendField(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

std::optional<std::vector<std::string_view>> splitFields(std::string_view record) {
    std::vector<std::string_view> fields;
    while (!record.empty()) {
        const std::size_t colon = record.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 10) return std::nullopt;
        const auto length = parseNumber<std::size_t>(record.substr(0, colon));
        if (!length || *length > record.size() - colon - 1) return std::nullopt;
        fields.push_back(record.substr(colon + 1, *length));
        record.remove_prefix(colon + 1 + *length);
    }
    return fields;
}

std::string encodeMessageBody(std::string_view from, std::string_view text, const std::optional<std::string>& id,
                              std::string_view origin) {
    std::string body;
    body.reserve(from.size() + text.size() + (id ? id->size() : 0) + origin.size() + 20);
    appendField(body, from);
    appendField(body, id ? "=" + *id : std::string());
    appendField(body, text);
    if (!origin.empty()) appendField(body, origin);  // absent for a member's message (the 0.1 record)
    return body;
}

std::string encodeMessageRecord(const MessageRecord& message) {
    std::string record;
    appendField(record, "M");
    appendField(record, message.epoch);
    appendField(record, std::to_string(message.seq));
    appendField(record, std::to_string(message.ts_ms));
    record += encodeMessageBody(message.from, message.text, message.id, message.origin);
    return record;
}

std::optional<MessageRecord> decodeMessageRecord(std::string_view record) {
    const auto fields = fieldsOf(record, "M", 7);
    if (!fields || fields->size() > 8) return std::nullopt;
    const auto seq = parseNumber<std::uint64_t>((*fields)[2]);
    const auto ts = parseNumber<std::int64_t>((*fields)[3]);
    const std::string_view id = (*fields)[5];
    if (!seq || !ts || (*fields)[1].empty() || (!id.empty() && id[0] != '=')) return std::nullopt;
    MessageRecord message{std::string((*fields)[1]), *seq,        *ts, std::string((*fields)[4]),
                          std::string((*fields)[6]), std::nullopt, std::string()};
    if (!id.empty()) message.id = std::string(id.substr(1));
    if (fields->size() == 8) message.origin = std::string((*fields)[7]);
    return message;
}

std::optional<RemotePresence> decodePresenceRecord(std::string_view record, std::string_view own_instance) {
    const auto fields = fieldsOf(record, "P", 7);
    if (!fields || fields->size() > 8) return std::nullopt;
    const auto count = parseNumber<std::uint64_t>((*fields)[2]);
    const std::string_view event = (*fields)[1];
    if (!count || (event != "join" && event != "leave" && event != "nick") || (*fields)[3].empty()) return std::nullopt;
    return RemotePresence{std::string(event), std::string((*fields)[3]), std::string((*fields)[4]), *count,
                          (*fields)[6] == "r" && (*fields)[5] == own_instance,
                          fields->size() == 8 ? std::string((*fields)[7]) : std::string()};
}

std::optional<SyncRecord> decodeSyncRecord(std::string_view record) {
    const auto fields = fieldsOf(record, "S", 7);
    if (!fields) return std::nullopt;
    const auto token = parseNumber<std::uint64_t>((*fields)[2]);
    const auto seq = parseNumber<std::uint64_t>((*fields)[4]);
    const std::string_view recovered = (*fields)[5];
    if (!token || !seq || (*fields)[1].empty() || (*fields)[3].empty() || (recovered != "0" && recovered != "1"))
        return std::nullopt;
    SyncRecord sync;
    sync.room = std::string((*fields)[1]);
    sync.point.token = *token;
    sync.point.position = Position{std::string((*fields)[3]), *seq};
    sync.point.recovered = recovered == "1";
    for (std::string_view users = (*fields)[6]; !users.empty();) {
        const std::size_t space = users.find(' ');
        if (space != 0) sync.point.users.emplace_back(users.substr(0, space));
        if (space == std::string_view::npos) break;
        users.remove_prefix(space + 1);
    }
    for (std::size_t i = 7; i < fields->size(); ++i) {
        auto message = decodeMessageRecord((*fields)[i]);
        if (!message) return std::nullopt;
        sync.point.messages.push_back(std::move(*message));
    }
    return sync;
}

std::string encodeKickRecord(const KickRequest& kick) {
    std::string record;
    appendField(record, "K");
    appendField(record, kick.nick);
    appendField(record, kick.reason);
    appendField(record, kick.by);
    return record;
}

std::optional<RemoteKick> decodeKickRecord(std::string_view record) {
    const auto fields = fieldsOf(record, "K", 4);
    if (!fields || fields->size() != 4 || (*fields)[1].empty()) return std::nullopt;
    return RemoteKick{std::string((*fields)[1]), std::string((*fields)[2]), std::string((*fields)[3])};
}

std::string encodeDisconnectRecord(std::string_view nick, std::string_view reason) {
    std::string record;
    appendField(record, "D");
    appendField(record, nick);
    appendField(record, reason);
    return record;
}

std::optional<DisconnectRecord> decodeDisconnectRecord(std::string_view record) {
    const auto fields = fieldsOf(record, "D", 3);
    if (!fields || fields->size() != 3 || (*fields)[1].empty()) return std::nullopt;
    return DisconnectRecord{std::string((*fields)[1]), std::string((*fields)[2])};
}

std::string encodePluginRecord(std::string_view instance, const PluginBroadcast& broadcast) {
    std::string record;
    record.reserve(broadcast.payload.size() + broadcast.plugin.size() + instance.size() + 24);
    appendField(record, "X");
    appendField(record, instance);
    appendField(record, broadcast.plugin);
    appendField(record, broadcast.payload);
    return record;
}

std::optional<PluginRecord> decodePluginRecord(std::string_view record) {
    const auto fields = fieldsOf(record, "X", 4);
    if (!fields || fields->size() != 4 || (*fields)[1].empty() || (*fields)[2].empty()) return std::nullopt;
    return PluginRecord{std::string((*fields)[1]),
                        PluginBroadcast{std::string((*fields)[2]), std::string((*fields)[3])}};
}

char recordKind(std::string_view record) {
    return record.size() >= 3 && record[0] == '1' && record[1] == ':' ? record[2] : '\0';
}

}  // namespace chatd::bus
