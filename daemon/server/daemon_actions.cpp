#include "server/daemon_actions.h"

#include "bus/bus.h"
#include "chat/hub.h"
#include "chatd/plugin_abi.h"
#include "protocol/names.h"
#include "ws/utf8.h"
#include "ws/frame_encoder.h"

namespace chatd::server {

namespace {

std::string_view modeName(chat::Mode mode) { return mode == chat::Mode::Json ? "json" : "raw"; }

}  // namespace

std::string DaemonActions::postProblem(const plugin_host::PostRequest& request, std::size_t max_text_bytes) {
    if (!protocol::isValidRoom(request.room)) return "'" + request.room + "' is not a valid room name";
    if (!protocol::isValidNick(request.from))
        return "'" + request.from + "' is not a valid name to post as (1-32 ASCII letters, digits, _ - .)";
    if (request.text.empty()) return "the text is empty";
    if (!ws::isValidUtf8(request.text)) return "the text is not valid UTF-8";
    if (request.text.size() > max_text_bytes)
        return "the text is " + std::to_string(request.text.size()) + " bytes, more than chat.max_text_bytes (" +
               std::to_string(max_text_bytes) + ")";
    return {};
}

std::string DaemonActions::post(plugin_host::PostRequest request) {
    std::string problem = postProblem(request, hub_.settings()->max_text_bytes);
    if (!problem.empty()) return problem;
    hub_.submit(chat::PostCommand{
        .room = std::move(request.room),
        .from = std::move(request.from),
        .text = std::move(request.text),
        .origin = request.origin == plugin_host::PostOrigin::Admin ? chat::PostOrigin::Admin : chat::PostOrigin::Plugin,
        .plugin = std::move(request.plugin),
    });
    return {};
}

void DaemonActions::kick(plugin_host::KickRequest request) {
    hub_.submit(chat::KickCommand{
        .session_id = request.session_id,
        .room = std::move(request.room),
        .reason = std::move(request.reason),
        .by = std::move(request.by),
        .banned = request.banned,
    });
}

std::optional<std::uint64_t> DaemonActions::kickNick(const std::string& room, const std::string& nick,
                                                     const std::string& reason, const std::string& by) {
    if (const auto local = hub_.directory().findNick(room, nick)) {
        kick({.session_id = *local, .room = room, .reason = reason, .by = by});
        return local;
    }
    if (!hub_.bus().shared()) return std::nullopt;
    hub_.submit(chat::KickNickCommand{.room = room, .nick = nick, .reason = reason, .by = by});
    return 0;
}

void DaemonActions::disconnect(std::uint64_t session_id, std::uint16_t code, std::string reason) {
    close_(session_id, code, ws::fitCloseReason(std::move(reason)));
}

void DaemonActions::notice(std::uint64_t session_id, std::string_view plugin, std::string_view text) {
    hub_.sendNotice(session_id, plugin, text);
}

std::optional<plugin_host::SessionFacts> DaemonActions::session(std::uint64_t session_id) const {
    const auto entry = hub_.directory().find(session_id);
    if (!entry) return std::nullopt;
    return plugin_host::SessionFacts{
        .session_id = entry->id,
        .session = entry->session,
        .nick = entry->nick,
        .room = entry->room,
        .address = entry->address,
        .mode = std::string(modeName(entry->mode)),
        .connected_ms = entry->connected_ms,
        .claims_json = entry->claims_json,
    };
}

std::optional<std::uint64_t> DaemonActions::findSession(std::string_view room, std::string_view nick) const {
    return hub_.directory().findNick(room, nick);
}

bool DaemonActions::broadcast(std::string_view plugin, std::string payload) {
    if (payload.size() > CHATD_BROADCAST_MAX_BYTES) return false;
    return hub_.bus().broadcast(bus::PluginBroadcast{.plugin = std::string(plugin), .payload = std::move(payload)});
}

}  // namespace chatd::server
