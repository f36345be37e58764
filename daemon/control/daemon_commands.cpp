#include "control/daemon_commands.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "chat/hub.h"
#include "control/control_protocol.h"
#include "control/directory_commands.h"
#include "json/json_writer.h"
#include "util/log_text.h"

namespace chatd::control {

namespace {

constexpr std::chrono::seconds kDisconnectWait{5};
constexpr std::string_view kDefaultReason = "disconnected by the operator";

void writeStrings(json::ObjectWriter& object, std::string& out, std::string_view key,
                  const std::vector<std::string>& values) {
    object.key(key);
    json::ArrayWriter array(out);
    for (const auto& value : values) array.string(value);
    array.close();
}

Outcome status(const server::Server& server, const DaemonInfo& info) {
    const server::ServerStatus now = server.status();
    std::string out;
    json::ObjectWriter result(out);
    result.field("version", info.version);
    result.field("uptime_s", static_cast<std::int64_t>(now.uptime.count()));
    result.field("connections", now.connections);
    result.field("rooms", now.rooms);
    result.field("bus", now.bus);
    if (now.history) {
        result.key("history");
        json::ObjectWriter store(out);
        store.field("path", now.history_path)
            .field("bytes", static_cast<std::int64_t>(now.history->bytes))
            .field("messages_written", now.history->messages_written)
            .field("batches", now.history->batches)
            .field("write_errors", now.history->write_errors)
            .field("mean_commit_ms", static_cast<std::int64_t>(now.history->mean_commit_seconds * 1000.0 + 0.5));
        store.close();
    } else {
        result.null("history");
    }
    result.field("config", info.config_path);
    std::vector<std::string> plugins;
    for (const auto& plugin : server.pluginReports()) plugins.push_back(plugin.name);
    writeStrings(result, out, "plugins", plugins);
    result.close();
    return Outcome::success(std::move(out));
}

Outcome plugins(const server::Server& server) {
    std::string out;
    json::ObjectWriter result(out);
    result.key("plugins");
    json::ArrayWriter list(out);
    for (const auto& plugin : server.pluginReports()) {
        list.next();
        json::ObjectWriter entry(out);
        entry.field("name", plugin.name);
        entry.key("verdicts");
        json::ObjectWriter verdicts(out);
        verdicts.field("continue", plugin.continued);
        verdicts.field("drop", plugin.dropped);
        verdicts.field("reject", plugin.rejected);
        verdicts.close();
        entry.field("errors", plugin.errors);
        entry.close();
    }
    list.close();
    result.close();
    return Outcome::success(std::move(out));
}

Outcome reload(const ReloadFn& run, const Caller& caller) {
    spdlog::info("control: reload asked by {}", caller.description);
    const server::ReloadResult outcome = run();
    if (!outcome.applied) {
        std::string why;
        for (const auto& message : outcome.messages) why += (why.empty() ? "" : "; ") + message;
        return Outcome::failure(error_code::kRefused, "reload refused, the running configuration stays: " + why);
    }
    std::string out;
    json::ObjectWriter result(out);
    result.boolean("applied", true);
    writeStrings(result, out, "changed", outcome.changed);
    writeStrings(result, out, "notes", outcome.messages);
    result.close();
    return Outcome::success(std::move(out));
}

// The sessions a disconnect names: its `session`, or every session here
// holding `nick` (in whichever room).
std::vector<std::uint64_t> disconnectTargets(const server::Server& server, const json::Value& args) {
    const auto session = stringArg(args, "session");
    const auto nick = stringArg(args, "nick");
    if (session.has_value() == nick.has_value()) throw BadArgs{"disconnect needs 'session' (a session id) or 'nick'"};
    if (nick) return server.hub().directory().findNickAnywhere(*nick);
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(session->data(), session->data() + session->size(), id);
    if (error != std::errc() || end != session->data() + session->size() || session->empty())
        throw BadArgs{"'session' is a session id (digits), got '" + *session + "'"};
    return {id};
}

// With a shared bus, a disconnect by nick also asks Redis to tell every
// other live instance holding the nick (in one of its rooms) to close it.
std::optional<bus::DirectoryAnswer> disconnectElsewhere(const server::Server& server, const json::Value& args,
                                                        const std::string& reason) {
    const auto nick = stringArg(args, "nick");
    if (!nick || !server.hub().bus().shared()) return std::nullopt;
    return askDirectory(server.hub().bus(), bus::DirectoryQuery{.kind = bus::DirectoryQuery::Kind::DisconnectNick,
                                                                .room = {},
                                                                .nick = *nick,
                                                                .reason = reason});
}

Outcome disconnect(server::Server& server, const json::Value& args, const Caller& caller) {
    const std::string reason = stringArg(args, "reason").value_or(std::string(kDefaultReason));
    const std::string target = stringArg(args, "session").value_or(stringArg(args, "nick").value_or(""));
    std::vector<std::string> closed;
    for (const std::uint64_t id : disconnectTargets(server, args)) {
        if (!server.disconnect(id, reason, kDisconnectWait)) continue;
        closed.push_back(std::to_string(id));
        spdlog::info("control: session {} disconnected (4000 \"{}\") by {}", id, util::LogText{reason},
                     caller.description);
    }
    const auto elsewhere = disconnectElsewhere(server, args, reason);
    const std::uint64_t told = elsewhere ? elsewhere->instances_told : 0;
    if (told > 0)
        spdlog::info("control: {} other instance(s) told to disconnect {} (4000 \"{}\") by {}", told,
                     util::LogText{target}, util::LogText{reason}, caller.description);
    if (closed.empty() && told == 0) {
        std::string message = "no session " + target + " is connected";
        if (elsewhere) message += elsewhere->answered ? " on any instance" : " here (" + partialNote(*elsewhere) + ")";
        return Outcome::failure(error_code::kNotFound, std::move(message));
    }
    std::string out;
    json::ObjectWriter result(out);
    if (!closed.empty()) result.field("session", closed.front());
    writeStrings(result, out, "sessions", closed);
    result.field("code", 4000);
    result.field("reason", reason);
    if (elsewhere) {
        result.field("nick", target).field("instances_told", told);
        if (!elsewhere->answered) result.boolean("partial", true).field("note", partialNote(*elsewhere));
    }
    result.close();
    return Outcome::success(std::move(out));
}

}  // namespace

void addDaemonCommands(Dispatcher& dispatcher, server::Server& server, DaemonInfo info, ReloadFn reload_fn) {
    dispatcher.add("status", [&server, info](const json::Value&, const Caller&) { return status(server, info); });
    dispatcher.add("plugins", [&server](const json::Value&, const Caller&) { return plugins(server); });
    dispatcher.add("reload", [reload_fn = std::move(reload_fn)](const json::Value&, const Caller& caller) {
        return reload(reload_fn, caller);
    });
    dispatcher.add("disconnect", [&server](const json::Value& args, const Caller& caller) {
        return disconnect(server, args, caller);
    });
}

}  // namespace chatd::control
