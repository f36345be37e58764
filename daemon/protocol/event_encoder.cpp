// chatd.v1 event encoders, built with json::ObjectWriter (no DOM).
#include "protocol/event_encoder.h"

#include "json/json_writer.h"

namespace chatd::protocol {
namespace {

// Room for the member names and numbers around the variable-length strings.
constexpr std::size_t kEnvelopeBytes = 96;

}  // namespace

std::string encodeMessage(const ChatMessage& m) {
    std::string out;
    out.reserve(kEnvelopeBytes + m.room.size() + m.epoch.size() + m.from.size() + m.text.size() +
                (m.id ? m.id->size() : 0));
    json::ObjectWriter o(out);
    o.field("type", "message")
        .field("room", m.room)
        .field("epoch", m.epoch)
        .field("seq", m.seq)
        .field("ts", m.ts_ms)
        .field("from", m.from)
        .field("text", m.text)
        .optionalField("id", m.id);
    if (!m.origin.empty()) o.field("origin", m.origin);
    o.close();
    return out;
}

std::string rawMessageText(const ChatMessage& m) {
    if (m.origin.empty()) return std::string(m.text);
    std::string out;
    out.reserve(m.origin.size() + m.from.size() + m.text.size() + 5);
    out.append("[").append(m.origin).append("] ").append(m.from).append(": ").append(m.text);
    return out;
}

std::string encodeWelcome(const Welcome& w) {
    std::size_t estimate = kEnvelopeBytes * 2 + w.session.size() + w.nick.size() + w.room.size() + w.epoch.size();
    for (const auto& user : w.users) estimate += user.size() + 3;
    for (const auto& message : w.history_json) estimate += message.size() + 1;
    std::string out;
    out.reserve(estimate);

    json::ObjectWriter o(out);
    o.field("type", "welcome")
        .field("session", w.session)
        .field("nick", w.nick)
        .field("room", w.room)
        .field("epoch", w.epoch)
        .field("seq", w.seq);
    o.key("users");
    json::ArrayWriter users(out);
    for (const auto& user : w.users) users.string(user);
    users.close();
    o.key("history");
    json::ArrayWriter history(out);
    for (const auto& message : w.history_json) history.raw(message);
    history.close();
    o.boolean("recovered", w.recovered).field("max_text_bytes", w.max_text_bytes);
    o.field("count", w.count).boolean("users_complete", w.users_complete);
    o.close();
    return out;
}

namespace {
void writeNicks(json::ObjectWriter& o, std::string& out, std::string_view key, std::span<const std::string> nicks) {
    o.key(key);
    json::ArrayWriter array(out);
    for (const auto& nick : nicks) array.string(nick);
    array.close();
}
}  // namespace

std::string encodePresenceBatch(const PresenceBatch& b) {
    std::size_t estimate = kEnvelopeBytes * 2 + b.room.size();
    for (const auto& nick : b.joined) estimate += nick.size() + 3;
    for (const auto& nick : b.left) estimate += nick.size() + 3;
    for (const auto& change : b.renamed) estimate += change.old_nick.size() + change.nick.size() + 26;
    std::string out;
    out.reserve(estimate);
    json::ObjectWriter o(out);
    o.field("type", "presence").field("room", b.room).field("event", presence_event::kBatch);
    writeNicks(o, out, "joined", b.joined);
    writeNicks(o, out, "left", b.left);
    o.key("renamed");
    json::ArrayWriter renamed(out);
    for (const auto& change : b.renamed) {
        renamed.next();
        json::ObjectWriter entry(out);
        entry.field("old_nick", change.old_nick).field("nick", change.nick);
        entry.close();
    }
    renamed.close();
    o.field("joined_count", b.joined_count).field("left_count", b.left_count).field("count", b.count);
    o.close();
    return out;
}

std::string encodeUsers(const UsersPage& page) {
    std::size_t estimate = kEnvelopeBytes + page.room.size() + (page.id ? page.id->size() : 0);
    for (const auto& nick : page.users) estimate += nick.size() + 3;
    std::string out;
    out.reserve(estimate);
    json::ObjectWriter o(out);
    o.field("type", "users").field("room", page.room);
    writeNicks(o, out, "users", page.users);
    o.optionalField("next", page.next).field("count", page.count).optionalField("id", page.id);
    o.close();
    return out;
}

std::string encodePresence(std::string_view room, std::string_view event, std::string_view nick,
                           std::optional<std::string_view> old_nick, std::size_t count, std::string_view reason) {
    std::string out;
    out.reserve(kEnvelopeBytes + room.size() + nick.size() + (old_nick ? old_nick->size() : 0) + reason.size());
    json::ObjectWriter o(out);
    o.field("type", "presence")
        .field("room", room)
        .field("event", event)
        .field("nick", nick)
        .optionalField("old_nick", old_nick)
        .field("count", count);
    if (!reason.empty()) o.field("reason", reason);
    o.close();
    return out;
}

std::string encodeKicked(std::string_view room, std::string_view reason, std::string_view by) {
    std::string out;
    out.reserve(kEnvelopeBytes + room.size() + reason.size() + by.size());
    json::ObjectWriter o(out);
    o.field("type", "kicked").field("room", room).field("reason", reason).field("by", by);
    o.close();
    return out;
}

std::string rawKickedText(std::string_view room, std::string_view reason, std::string_view by) {
    std::string out = "[kicked] removed from ";
    out.append(room).append(" by ").append(by);
    if (!reason.empty()) out.append(": ").append(reason);
    return out;
}

std::string encodeHistory(std::string_view room, std::string_view epoch, std::span<const std::string_view> messages_json,
                          bool more, std::optional<std::string_view> id) {
    std::size_t estimate = kEnvelopeBytes + room.size() + epoch.size() + (id ? id->size() : 0);
    for (const auto& message : messages_json) estimate += message.size() + 1;
    std::string out;
    out.reserve(estimate);
    json::ObjectWriter o(out);
    o.field("type", "history").field("room", room).field("epoch", epoch);
    o.key("messages");
    json::ArrayWriter messages(out);
    for (const auto& message : messages_json) messages.raw(message);
    messages.close();
    o.boolean("more", more).optionalField("id", id);
    o.close();
    return out;
}

std::string encodeError(std::string_view code, std::string_view reason, std::optional<std::string_view> id) {
    std::string out;
    out.reserve(kEnvelopeBytes + code.size() + reason.size() + (id ? id->size() : 0));
    json::ObjectWriter o(out);
    o.field("type", "error").field("code", code).field("reason", reason).optionalField("id", id);
    o.close();
    return out;
}

std::string encodeNotice(std::string_view from, std::string_view text) {
    std::string out;
    out.reserve(kEnvelopeBytes + from.size() + text.size());
    json::ObjectWriter o(out);
    o.field("type", "notice").field("from", from).field("text", text);
    o.close();
    return out;
}

}  // namespace chatd::protocol
