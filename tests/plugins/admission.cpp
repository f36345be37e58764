// admission: a small plugin for the end-to-end tests, written against the raw
// C ABI. Config (every key optional):
//   refuse_word: evil     refuse a WebSocket connection whose path or Origin contains it (403)
//   refuse_room: vault    refuse joins to this room (error `forbidden`)
//   reason: "not here"    the text of both refusals (default: the host's "refused by <name>")
//   tick_room: lobby      on each tick (the entry's `tick:`) post tick_text into tick_room
//   tick_from: ticker     ... as this name (default "ticker")
//   tick_text: "tick"     ... this line (default "tick")
// A member who sends exactly "kick me" is kicked from the room (reason "you asked").
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "chatd/plugin_abi.h"

namespace {

std::string_view view(chatd_str s) { return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size}; }
chatd_str str(const std::string& s) { return chatd_str{s.data(), s.size()}; }

struct Admission {
    const chatd_host_api* api;
    chatd_host* host;
    std::string refuse_word, refuse_room, reason, tick_room, tick_from, tick_text;
};

Admission& self(void* instance) { return *static_cast<Admission*>(instance); }

std::string get(const YAML::Node& c, const char* key, const char* fallback) {
    return c.IsMap() && c[key] ? c[key].as<std::string>() : std::string(fallback);
}

chatd_status init(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error) {
    try {
        const YAML::Node c = YAML::Load(std::string(view(args->config_yaml)));
        auto a = std::make_unique<Admission>(
            Admission{args->api, args->host, get(c, "refuse_word", ""), get(c, "refuse_room", ""), get(c, "reason", ""),
                      get(c, "tick_room", ""), get(c, "tick_from", "ticker"), get(c, "tick_text", "tick")});
        *instance_out = a.release();
        return CHATD_OK;
    } catch (const std::exception& e) {
        error->size = std::min(std::strlen(e.what()), error->capacity);
        std::memcpy(error->data, e.what(), error->size);
        return CHATD_FAILED;
    }
}

void shutdown(void* instance) { delete static_cast<Admission*>(instance); }

void refuse(const Admission& a, chatd_admission* verdict) {
    verdict->kind = CHATD_REFUSE;
    verdict->reason = str(a.reason);
}

bool contains(chatd_str haystack, const std::string& needle) {
    return !needle.empty() && view(haystack).find(needle) != std::string_view::npos;
}

chatd_status onConnect(void* instance, const chatd_connect_event* event, chatd_admission* verdict, chatd_error_buf*) {
    const Admission& a = self(instance);
    if (contains(event->path, a.refuse_word) || contains(event->origin, a.refuse_word)) refuse(a, verdict);
    return CHATD_OK;
}

chatd_status onJoinRequest(void* instance, const chatd_join_request* request, chatd_admission* verdict,
                           chatd_error_buf*) {
    const Admission& a = self(instance);
    if (!a.refuse_room.empty() && view(request->room) == a.refuse_room) refuse(a, verdict);
    return CHATD_OK;
}

chatd_status onTick(void* instance, chatd_error_buf*) {
    const Admission& a = self(instance);
    if (!a.tick_room.empty()) a.api->post(a.host, str(a.tick_room), str(a.tick_from), str(a.tick_text));
    return CHATD_OK;
}

chatd_status onMessage(void* instance, chatd_message* msg, chatd_verdict*, chatd_error_buf*) {
    const Admission& a = self(instance);
    if (view(a.api->message_text(msg)) == "kick me" && a.api->message_session_id(msg) != 0) {
        static const std::string reason = "you asked";
        a.api->kick(a.host, a.api->message_session_id(msg), a.api->message_room(msg), str(reason));
    }
    return CHATD_OK;
}

const chatd_plugin_api table = {
    .struct_size = sizeof(chatd_plugin_api),
    .abi_version = CHATD_PLUGIN_ABI_VERSION,
    .plugin_name = {"admission", 9},
    .init = init,
    .reload = nullptr,
    .on_message = onMessage,
    .on_verdict = nullptr,
    .on_join = nullptr,
    .on_leave = nullptr,
    .shutdown = shutdown,
    .on_connect = onConnect,
    .on_join_request = onJoinRequest,
    .on_tick = onTick,
    .on_control = nullptr,
    .on_peer_message = nullptr,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(
    const std::uint32_t* offered, std::size_t offered_count, std::uint32_t* plugin_abi) {
    for (std::size_t i = 0; i < offered_count; ++i)
        if (offered[i] == CHATD_PLUGIN_ABI_VERSION) return &table;
    *plugin_abi = CHATD_PLUGIN_ABI_VERSION;
    return nullptr;
}
