// Bans and mutes across chatd instances (rooms shared through Redis): every
// local action goes to the peers as {"type":"entry","entry":{...}} (a lift as
// a tombstone). {"type":"sync","reply":true,"entries":[]} asks the peers for
// their whole state, which they send as {"type":"sync","reply":false,
// "entries":[...]} (in payloads under the daemon's limit); an instance asks
// when it starts and when sending works again after a failure, and then sends
// its own state the same way. Entries are
// merged by the time of their action (ModerationStore::merge), so every
// instance ends up with the latest action on each ban or mute.
#include <stdexcept>

#include <chatd/json.hpp>

#include "json_value.h"
#include "moderation_plugin.h"

namespace chatd::plugins::moderation {

namespace {
// Room left under the daemon's payload limit for the envelope.
constexpr std::size_t kChunkBytes = CHATD_BROADCAST_MAX_BYTES - 1024;
constexpr std::int64_t kSyncRetryMs = 1000;

std::string where(const std::string& room) { return room.empty() ? "everywhere" : "in " + room; }
}  // namespace

void ModerationPlugin::share(const Entry& entry) {
    if (!host().broadcast("{\"type\":\"entry\",\"entry\":" + entryJson(entry) + "}")) synced_ = false;
}

// The request is a few bytes: with one instance (or Redis down) it fails
// cheaply, every second at most, from whichever hook comes first.
void ModerationPlugin::maybeSync() {
    if (synced_) return;
    const std::int64_t now = nowMs();
    if (last_sync_try_ms_ != 0 && now - last_sync_try_ms_ < kSyncRetryMs) return;
    last_sync_try_ms_ = now;
    if (!host().broadcast(R"({"type":"sync","reply":true,"entries":[]})")) return;
    synced_ = sendState();
    if (synced_) host().debug("asked the other instances for their bans and mutes and sent ours");
}

bool ModerationPlugin::sendState() {
    static const std::string head = R"({"type":"sync","reply":false,"entries":[)";
    std::string items;
    const auto flush = [&] {
        const bool ok = host().broadcast(head + items + "]}");
        items.clear();
        return ok;
    };
    for (const Entry& e : store_.entries()) {
        std::string item = entryJson(e);
        if (!items.empty() && items.size() + item.size() + 1 > kChunkBytes && !flush()) return false;
        items += (items.empty() ? "" : ",") + item;
    }
    return items.empty() || flush();
}

void ModerationPlugin::onPeerMessage(std::string_view from_instance, std::string_view payload) {
    const JsonValue doc = parseJson(payload);
    const JsonValue* type = doc.find("type");
    if (type == nullptr || type->type != JsonValue::Type::String)
        throw std::invalid_argument("a peer's payload lacks 'type'");
    if (type->string == "entry") {
        const JsonValue* entry = doc.find("entry");
        if (entry == nullptr) throw std::invalid_argument("a peer's entry payload lacks 'entry'");
        applyPeer(entryFromJson(*entry), from_instance);
    } else if (type->string == "sync") {
        const JsonValue* entries = doc.find("entries");
        if (entries == nullptr || entries->type != JsonValue::Type::Array)
            throw std::invalid_argument("a peer's sync payload lacks 'entries'");
        for (const JsonValue& item : entries->array) applyPeer(entryFromJson(item), from_instance);
        const JsonValue* reply = doc.find("reply");
        if (reply != nullptr && reply->type == JsonValue::Type::Bool && reply->boolean && !sendState())
            synced_ = false;
    }  // other types: a newer peer's; ignored
    maybeSync();
}

void ModerationPlugin::applyPeer(const Entry& entry, std::string_view from_instance) {
    if (!store_.merge(entry, nowMs())) return;
    persist();
    const std::string kind = kindName(entry.kind);
    const std::string origin = " (from instance " + std::string(from_instance) + ")";
    if (entry.lifted) {
        record("peer_un" + kind,
               "un" + kind + " of " + entry.target + " " + where(entry.room) + " by " + entry.by + origin);
        if (entry.kind == Kind::Mute)
            for (const auto& [id, m] : members_)
                if (lowerAscii(m.nick) == entry.target && (entry.room.empty() || entry.room == m.room))
                    host().notice(id, "you are no longer muted " + where(entry.room));
        return;
    }
    const int affected = enforce(entry);
    record("peer_" + kind, kind + " of " + entry.target + " " + where(entry.room) + " " + untilText(entry.until_ms) +
                               " by " + entry.by + (entry.reason.empty() ? "" : ": " + entry.reason) + origin + " (" +
                               std::to_string(affected) + " connected here)");
}

}  // namespace chatd::plugins::moderation
