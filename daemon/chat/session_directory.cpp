#include "chat/session_directory.h"

#include <algorithm>

#include "protocol/names.h"

namespace chatd::chat {

void SessionDirectory::add(SessionEntry entry) {
    const std::lock_guard lock(mutex_);
    const std::uint64_t id = entry.id;
    sessions_.insert_or_assign(id, std::move(entry));
}

// Takes `id` out of its room's list; caller holds mutex_.
static void unlist(std::map<std::string, std::vector<std::uint64_t>, std::less<>>& rooms, const std::string& room,
                   std::uint64_t id) {
    const auto it = rooms.find(room);
    if (it == rooms.end()) return;
    std::erase(it->second, id);
    if (it->second.empty()) rooms.erase(it);
}

void SessionDirectory::remove(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    if (!it->second.room.empty()) unlist(rooms_, it->second.room, id);
    sessions_.erase(it);
}

void SessionDirectory::placed(std::uint64_t id, const std::string& room, const std::string& nick) {
    const std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return;
    SessionEntry& entry = it->second;
    if (entry.room != room) {
        if (!entry.room.empty()) unlist(rooms_, entry.room, id);
        if (!room.empty()) rooms_[room].push_back(id);
        entry.room = room;
    }
    if (!nick.empty()) entry.nick = nick;
}

std::optional<SessionEntry> SessionDirectory::find(std::uint64_t id) const {
    const std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::uint64_t> SessionDirectory::findNick(std::string_view room, std::string_view nick) const {
    const std::string folded = protocol::foldName(nick);
    const std::lock_guard lock(mutex_);
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return std::nullopt;
    for (const std::uint64_t id : it->second) {
        const auto session = sessions_.find(id);
        if (session != sessions_.end() && protocol::foldName(session->second.nick) == folded) return id;
    }
    return std::nullopt;
}

std::vector<std::uint64_t> SessionDirectory::findNickAnywhere(std::string_view nick) const {
    const std::string folded = protocol::foldName(nick);
    std::vector<std::uint64_t> ids;
    const std::lock_guard lock(mutex_);
    for (const auto& [id, entry] : sessions_)
        if (!entry.nick.empty() && protocol::foldName(entry.nick) == folded) ids.push_back(id);
    return ids;
}

std::vector<SessionEntry> SessionDirectory::members(std::string_view room) const {
    std::vector<SessionEntry> out;
    {
        const std::lock_guard lock(mutex_);
        const auto it = rooms_.find(room);
        if (it == rooms_.end()) return out;
        out.reserve(it->second.size());
        for (const std::uint64_t id : it->second)
            if (const auto session = sessions_.find(id); session != sessions_.end()) out.push_back(session->second);
    }
    std::ranges::sort(out, [](const SessionEntry& a, const SessionEntry& b) {
        return protocol::foldName(a.nick) < protocol::foldName(b.nick);
    });
    return out;
}

std::vector<RoomSummary> SessionDirectory::rooms() const {
    const std::lock_guard lock(mutex_);
    std::vector<RoomSummary> out;
    out.reserve(rooms_.size());
    for (const auto& [room, ids] : rooms_) out.push_back({room, ids.size()});
    return out;
}

std::size_t SessionDirectory::size() const {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace chatd::chat
