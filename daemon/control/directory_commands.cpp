#include "control/directory_commands.h"

#include <algorithm>
#include <future>
#include <map>
#include <memory>

#include "chat/hub.h"
#include "control/control_protocol.h"
#include "json/json_writer.h"
#include "protocol/names.h"

namespace chatd::control {

namespace {

using Kind = bus::DirectoryQuery::Kind;

// The bus' answer when rooms are shared; nullopt with the in-memory bus.
std::optional<bus::DirectoryAnswer> askShared(const chat::Hub& hub, Kind kind, std::string room = {}) {
    if (!hub.bus().shared()) return std::nullopt;
    return askDirectory(hub.bus(), bus::DirectoryQuery{.kind = kind, .room = std::move(room), .nick = {}, .reason = {}});
}

// With a shared bus: this instance's id, and when Redis did not answer,
// "partial": true and the note why.
void writeSharing(json::ObjectWriter& result, const chat::Hub& hub, const std::optional<bus::DirectoryAnswer>& shared) {
    if (!shared) return;
    result.field("instance", hub.bus().instanceId());
    if (!shared->answered) result.boolean("partial", true).field("note", partialNote(*shared));
}

// One member as `who` lists it: a session here has every detail, a member of
// another instance only its nick and instance.
struct Member {
    std::string nick;
    std::string instance;
    std::optional<chat::SessionEntry> here;
};

// This instance's members and Redis' list of every live instance's, merged:
// Redis' entries for this instance are completed from the session directory,
// and local members Redis does not list (yet) are kept.
std::vector<Member> mergeMembers(std::vector<chat::SessionEntry> local, const bus::DirectoryAnswer& shared,
                                 const std::string& self) {
    std::vector<Member> members;
    auto take_local = [&local](std::string_view nick) -> std::optional<chat::SessionEntry> {
        const std::string folded = protocol::foldName(nick);
        const auto found = std::ranges::find_if(
            local, [&](const chat::SessionEntry& entry) { return protocol::foldName(entry.nick) == folded; });
        if (found == local.end()) return std::nullopt;
        chat::SessionEntry entry = std::move(*found);
        local.erase(found);
        return entry;
    };
    for (const bus::SharedMember& member : shared.members) {
        std::optional<chat::SessionEntry> here;
        if (member.instance == self) here = take_local(member.nick);
        members.push_back(Member{member.nick, member.instance, std::move(here)});
    }
    for (chat::SessionEntry& entry : local) members.push_back(Member{entry.nick, self, std::move(entry)});
    std::ranges::sort(members, [](const Member& a, const Member& b) {
        const std::string fa = protocol::foldName(a.nick), fb = protocol::foldName(b.nick);
        return fa != fb ? fa < fb : a.nick < b.nick;
    });
    return members;
}

void writeMember(json::ArrayWriter& list, std::string& out, const Member& member, bool with_instance) {
    list.next();
    json::ObjectWriter entry(out);
    entry.field("nick", member.nick);
    if (with_instance) entry.field("instance", member.instance);
    if (const auto& here = member.here) {
        entry.field("session", here->session)
            .field("address", here->address)
            .field("mode", here->mode == chat::Mode::Json ? "json" : "raw")
            .field("since_ms", here->connected_ms);
    }
    entry.close();
}

}  // namespace

bus::DirectoryAnswer askDirectory(bus::Bus& bus, bus::DirectoryQuery query, std::chrono::milliseconds wait) {
    auto answer = std::make_shared<std::promise<bus::DirectoryAnswer>>();
    auto future = answer->get_future();
    bus.directory(std::move(query), [answer](bus::DirectoryAnswer got) { answer->set_value(std::move(got)); });
    if (future.wait_for(wait) == std::future_status::ready) return future.get();
    bus::DirectoryAnswer late;
    late.error = "Redis did not answer within " + std::to_string(wait.count()) + " ms";
    return late;
}

std::string partialNote(const bus::DirectoryAnswer& answer) {
    return "this instance's view only: " + (answer.error.empty() ? std::string("Redis did not answer") : answer.error);
}

// Every room with members: with a shared bus, on every live instance
// ("members") and here ("here").
Outcome roomsCommand(const server::Server& server) {
    const chat::Hub& hub = server.hub();
    const auto shared = askShared(hub, Kind::Rooms);
    struct Counts {
        std::uint64_t all = 0;
        std::uint64_t here = 0;
    };
    std::map<std::string, Counts> rooms;
    for (const chat::RoomSummary& room : hub.directory().rooms())
        rooms[room.room] = Counts{room.members, room.members};
    if (shared && shared->answered)
        for (const bus::SharedRoom& room : shared->rooms)
            rooms[room.room].all = std::max(rooms[room.room].here, room.members);
    std::string out;
    json::ObjectWriter result(out);
    writeSharing(result, hub, shared);
    result.key("rooms");
    json::ArrayWriter list(out);
    for (const auto& [name, counts] : rooms) {
        list.next();
        json::ObjectWriter entry(out);
        entry.field("room", name).field("members", counts.all);
        if (shared) entry.field("here", counts.here);
        entry.close();
    }
    list.close();
    result.close();
    return Outcome::success(std::move(out));
}

// The members of a room: with a shared bus, those of every live instance,
// each with its instance; sessions here with their details.
Outcome whoCommand(const server::Server& server, const json::Value& args) {
    const auto given = stringArg(args, "room");
    if (!given || given->empty()) throw BadArgs{"who needs 'room'"};
    const std::string& room = *given;
    if (!protocol::isValidRoom(room)) throw BadArgs{"'" + room + "' is not a valid room name"};
    const chat::Hub& hub = server.hub();
    const auto shared = askShared(hub, Kind::Who, room);
    const std::string self = hub.bus().instanceId();
    const std::vector<Member> members =
        mergeMembers(hub.directory().members(room), shared && shared->answered ? *shared : bus::DirectoryAnswer{}, self);
    if (members.empty()) {
        const bool everywhere = shared && shared->answered;
        return Outcome::failure(error_code::kNotFound,
                                "nobody is in room '" + room + "'" + (everywhere ? "" : " here") +
                                    (shared && !shared->answered ? " (" + partialNote(*shared) + ")" : ""));
    }
    std::string out;
    json::ObjectWriter result(out);
    result.field("room", room);
    writeSharing(result, hub, shared);
    result.key("members");
    json::ArrayWriter list(out);
    for (const Member& member : members) writeMember(list, out, member, shared.has_value());
    list.close();
    result.close();
    return Outcome::success(std::move(out));
}

}  // namespace chatd::control
