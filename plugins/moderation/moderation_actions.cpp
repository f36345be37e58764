// What each moderation request does (ban, mute, lift, kick, list) and how
// requests are parsed from chatdctl arguments and from chat commands.
#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <chatd/json.hpp>

#include "moderation_plugin.h"

namespace chatd::plugins::moderation {

namespace {
[[noreturn]] void usage(const std::string& what) {
    throw std::invalid_argument(
        what + " (usage: ban|mute NICK|ADDRESS[/BITS] [--room R] [--for DURATION] [--reason TEXT] [--by NAME]; "
               "unban|unmute TARGET [--room R]; kick NICK [--room R] [--reason TEXT]; bans; mutes)");
}

std::int64_t durationOf(const std::string& text) {
    const auto ms = parseDuration(text);
    if (!ms) usage("bad duration '" + text + "' (10m, 2h, 1d, 4w, forever)");
    return *ms;
}

std::string where(const std::string& room) { return room.empty() ? "everywhere" : "in " + room; }
}  // namespace

Request parseControl(std::string_view command, const std::vector<std::string>& args) {
    Request r;
    r.action = std::string(command);
    static const std::vector<std::string> kActions{"ban", "unban", "mute", "unmute", "kick", "bans", "mutes"};
    if (std::find(kActions.begin(), kActions.end(), r.action) == kActions.end()) usage("unknown command '" + r.action + "'");
    std::vector<std::string> words;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool flag = a == "--room" || a == "--for" || a == "--reason" || a == "--by";
        if (!flag) {
            words.push_back(a);
            continue;
        }
        if (i + 1 >= args.size()) usage(a + " needs a value");
        const std::string& value = args[++i];
        if (a == "--room") r.room = value;
        else if (a == "--for") r.duration_ms = durationOf(value);
        else if (a == "--reason") r.reason = value;
        else r.by = value;
    }
    const bool listing = r.action == "bans" || r.action == "mutes";
    if (listing) {
        if (!words.empty()) usage(r.action + " takes no arguments");
        return r;
    }
    if (words.empty()) usage(r.action + " needs a target");
    r.target = words[0];
    for (std::size_t i = 1; i < words.size(); ++i) r.reason += (r.reason.empty() ? "" : " ") + words[i];
    return r;
}

Outcome ModerationPlugin::run(const Request& r) {
    if (r.action == "ban") return ban(r, false);
    if (r.action == "mute") return ban(r, true);
    if (r.action == "unban") return lift(r, Kind::Ban);
    if (r.action == "unmute") return lift(r, Kind::Mute);
    if (r.action == "kick") return kick(r);
    if (r.action == "bans") return list(Kind::Ban);
    if (r.action == "mutes") return list(Kind::Mute);
    usage("unknown command '" + r.action + "'");
}

// Sets a ban (mute == false) or a mute, acts on who is connected, saves.
Outcome ModerationPlugin::ban(const Request& r, bool mute) {
    auto [target, network] = normaliseTarget(r.target);
    if (target.empty()) usage("empty target");
    if (mute && network) usage("mute takes a nick, not an address");
    const Kind kind = mute ? Kind::Mute : Kind::Ban;
    const std::int64_t now = nowMs();
    Entry e{kind, target, network, r.room, r.by, r.reason, store_.actionTime(kind, target, r.room, now), 0};
    if (r.duration_ms > 0) e.until_ms = now + r.duration_ms;
    store_.put(e);
    persist();
    share(e);
    const int affected = enforce(e);
    const std::string text = std::string(kindName(e.kind)) + " of " + target + " " + where(r.room) + " " +
                             untilText(e.until_ms) + " by " + r.by + (r.reason.empty() ? "" : ": " + r.reason);
    record(kindName(e.kind), text + " (" + std::to_string(affected) + " connected)");
    return {"{\"set\":" + entryJson(e) + ",\"affected\":" + std::to_string(affected) + "}",
            text + " (" + std::to_string(affected) + " connected)"};
}

Outcome ModerationPlugin::lift(const Request& r, Kind kind) {
    const std::string target = normaliseTarget(r.target).first;
    const std::string name = kind == Kind::Ban ? "unban" : "unmute";
    const auto tombstone = store_.lift(kind, target, r.room, r.by, nowMs());
    if (!tombstone)
        throw std::invalid_argument(std::string("no ") + kindName(kind) + " of " + target + " " + where(r.room));
    persist();
    share(*tombstone);
    const std::string text = name + " of " + target + " " + where(r.room) + " by " + r.by;
    record(name, text);
    if (kind == Kind::Mute)
        for (const auto& [id, m] : members_)
            if (lowerAscii(m.nick) == target && (r.room.empty() || r.room == m.room))
                host().notice(id, "you are no longer muted " + where(r.room));
    return {"{\"lifted\":" + sdk::json::quote(target) + ",\"room\":" + sdk::json::quote(r.room) + "}", text};
}

Outcome ModerationPlugin::kick(const Request& r) {
    const std::string nick = lowerAscii(r.target);
    std::vector<std::pair<std::uint64_t, std::string>> hits;
    for (const auto& [id, m] : members_)
        if (lowerAscii(m.nick) == nick && (r.room.empty() || r.room == m.room)) hits.emplace_back(id, m.room);
    if (hits.empty() && !r.room.empty())
        if (const auto id = host().findSession(r.room, r.target)) hits.emplace_back(*id, r.room);
    if (hits.empty()) throw std::invalid_argument("no " + r.target + " " + (r.room.empty() ? "in any room" : "in " + r.room));
    for (const auto& [id, room] : hits) host().kick(id, room, r.reason);
    const std::string text = "kick of " + r.target + " " + where(r.room) + " by " + r.by +
                             (r.reason.empty() ? "" : ": " + r.reason);
    record("kick", text);
    return {"{\"kicked\":" + std::to_string(hits.size()) + "}", text};
}

Outcome ModerationPlugin::list(Kind kind) const {
    std::string json = "[";
    std::string text;
    for (const Entry& e : store_.list(kind, nowMs())) {
        json += (json.size() == 1 ? "" : ",") + entryJson(e);
        text += "\n" + e.target + " " + where(e.room) + " " + untilText(e.until_ms) + " by " + e.by + " at " +
                isoTime(e.set_ms) + (e.reason.empty() ? "" : ": " + e.reason);
    }
    return {json + "]", std::string(kind == Kind::Ban ? "bans:" : "mutes:") + (text.empty() ? " none" : text)};
}

int ModerationPlugin::enforce(const Entry& e) {
    int affected = 0;
    const std::string why = e.reason.empty() ? std::string(kindName(e.kind)) + "ned" : e.reason;
    for (const auto& [id, m] : members_) {
        const auto info = host().sessionInfo(id);
        const std::optional<Network> address = info ? parseNetwork(info->address) : std::nullopt;
        if (!e.appliesTo(lowerAscii(m.nick), address, m.room)) continue;
        ++affected;
        if (e.kind == Kind::Mute)
            host().notice(id, "you are muted " + where(e.room) + " " + untilText(e.until_ms) +
                                  (e.reason.empty() ? "" : ": " + e.reason));
        else if (e.room.empty())
            host().disconnect(id, sdk::CloseCode::Banned, "banned: " + why);
        else
            host().kick(id, m.room, "banned: " + why, sdk::KickAs::Banned);
    }
    return affected;
}

// "/ban bob 1d spam", "/mute bob 10m", "/kick bob why", "/unban bob", "/bans":
// acts in the moderator's room; returns the notice for the moderator.
std::string ModerationPlugin::chatCommand(std::string_view room, std::string_view nick, std::string_view text) {
    std::istringstream in{std::string(text.substr(1))};
    Request r;
    in >> r.action >> r.target;
    r.room = std::string(room);
    r.by = std::string(nick);
    std::string word;
    if ((r.action == "ban" || r.action == "mute") && in >> word) {
        if (const auto ms = parseDuration(word)) r.duration_ms = *ms;
        else r.reason = word;
    }
    while (in >> word) r.reason += (r.reason.empty() ? "" : " ") + word;
    const bool listing = r.action == "bans" || r.action == "mutes";
    if (!listing && r.target.empty()) return "usage: /" + r.action + " nick" + (r.action == "ban" || r.action == "mute" ? " [10m|1d|forever] [reason]" : "");
    try {
        return run(r).text;
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
}

}  // namespace chatd::plugins::moderation
