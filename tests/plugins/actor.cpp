// A test plugin written against the raw C ABI (no SDK classes) that uses
// every hook and host service appended in chatd 0.2. Each behaviour is
// switched on by its config, so one actor.so serves many entries:
//   refuse_connect: "w"   on_connect refuses when the path or origin contains w
//   refuse_join: "room"   on_join_request refuses joins to that room
//   reason: "text"        the refusals' reason ("" = let the host name the plugin)
//   fail: [hook, ...]     these hooks fail (on_connect, on_join_request, on_tick, on_control)
//   tick_post: room       on_tick posts "tick <n>" into room as "ticker"
//   tick_block_ms: n      on_tick sleeps n ms (a blocking tick)
//   posts_per_message: n  on_message posts n copies of the text back (a post loop)
//   echo_origin: true     on_message notices "origin <origin>" to the sender
//   info: true            "info" notices what session_info says of the sender
//   find: true            "find <nick>" notices "found <id>" or "not found"
//   kick: true            "kick me" kicks the sender; "ban me" disconnects it (4003), "bye" with 4999
//   count_metric: true    metric_add("messages", <room>, 1) per message; "bad metric" tries invalid ones
//   observe_join: true    on_join / on_leave notice "join <room>" / "leave <room>" (room scoping)
// on_control: "state_dir" answers the init args' state_dir as a JSON string,
// "echo" answers {"args": <args>}, "empty" sets no json, "broadcast" broadcasts
// the args' JSON text to the other instances and answers whether it was sent,
// "peers" answers what on_peer_message got (["<from> <payload>", ...]);
// anything else fails. fail: [on_peer_message] makes that hook fail.
#include <chrono>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "chatd/plugin_abi.h"

namespace {

std::string_view view(chatd_str s) { return s.size == 0 ? std::string_view{} : std::string_view{s.data, s.size}; }
chatd_str str(std::string_view s) { return chatd_str{s.data(), s.size()}; }

void setError(chatd_error_buf* error, std::string_view text) {
    const std::size_t n = std::min(text.size(), error->capacity);
    std::memcpy(error->data, text.data(), n);
    error->size = n;
}

struct Actor {
    const chatd_host_api* api = nullptr;
    chatd_host* host = nullptr;
    std::string name, state_dir, refuse_connect, refuse_join, reason, tick_post;
    std::set<std::string> fail;
    int tick_block_ms = 0, posts_per_message = 0, ticks = 0;
    bool echo_origin = false, info = false, find = false, kick = false, count_metric = false, observe_join = false;
    std::string answer;  // kept until the next hook call (the ABI's promise)
    std::string peers;   // what on_peer_message got, as JSON strings joined by ','

    void notice(std::uint64_t session, const std::string& text) const { api->notice(host, session, str(text)); }
};

Actor& self(void* instance) { return *static_cast<Actor*>(instance); }

template <typename T>
T get(const YAML::Node& c, const char* key, T fallback) {
    return c.IsMap() && c[key] ? c[key].as<T>() : fallback;
}

chatd_status init(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error) {
    try {
        auto actor = std::make_unique<Actor>();
        actor->api = args->api;
        actor->host = args->host;
        actor->name = std::string(view(args->instance_name));
        if (args->struct_size >= offsetof(chatd_plugin_init_args, state_dir) + sizeof(chatd_str))
            actor->state_dir = std::string(view(args->state_dir));
        const YAML::Node c = YAML::Load(std::string(view(args->config_yaml)));
        actor->refuse_connect = get<std::string>(c, "refuse_connect", "");
        actor->refuse_join = get<std::string>(c, "refuse_join", "");
        actor->reason = get<std::string>(c, "reason", "");
        actor->tick_post = get<std::string>(c, "tick_post", "");
        if (c.IsMap() && c["fail"])
            for (const auto& hook : c["fail"]) actor->fail.insert(hook.as<std::string>());
        actor->tick_block_ms = get<int>(c, "tick_block_ms", 0);
        actor->posts_per_message = get<int>(c, "posts_per_message", 0);
        actor->echo_origin = get<bool>(c, "echo_origin", false);
        actor->info = get<bool>(c, "info", false);
        actor->find = get<bool>(c, "find", false);
        actor->kick = get<bool>(c, "kick", false);
        actor->count_metric = get<bool>(c, "count_metric", false);
        actor->observe_join = get<bool>(c, "observe_join", false);
        *instance_out = actor.release();
        return CHATD_OK;
    } catch (const std::exception& e) {
        setError(error, e.what());
        return CHATD_FAILED;
    }
}

void shutdown(void* instance) { delete static_cast<Actor*>(instance); }

chatd_status refuseIf(Actor& a, bool refuse, chatd_admission* verdict) {
    if (!refuse) return CHATD_OK;
    verdict->kind = CHATD_REFUSE;
    verdict->reason = str(a.reason);
    return CHATD_OK;
}

chatd_status onConnect(void* instance, const chatd_connect_event* event, chatd_admission* verdict,
                       chatd_error_buf* error) {
    Actor& a = self(instance);
    if (a.fail.count("on_connect") != 0) return setError(error, "connect hook broke"), CHATD_FAILED;
    const bool refuse = !a.refuse_connect.empty() && (view(event->path).find(a.refuse_connect) != std::string::npos ||
                                                      view(event->origin).find(a.refuse_connect) != std::string::npos);
    return refuseIf(a, refuse, verdict);
}

chatd_status onJoinRequest(void* instance, const chatd_join_request* request, chatd_admission* verdict,
                           chatd_error_buf* error) {
    Actor& a = self(instance);
    if (a.fail.count("on_join_request") != 0) return setError(error, "join hook broke"), CHATD_FAILED;
    return refuseIf(a, !a.refuse_join.empty() && view(request->room) == a.refuse_join, verdict);
}

chatd_status onTick(void* instance, chatd_error_buf* error) {
    Actor& a = self(instance);
    ++a.ticks;
    if (a.tick_block_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(a.tick_block_ms));
    if (a.fail.count("on_tick") != 0) return setError(error, "tick broke"), CHATD_FAILED;
    if (!a.tick_post.empty()) {
        const std::string text = "tick " + std::to_string(a.ticks);
        a.api->post(a.host, str(a.tick_post), str("ticker"), str(text));
    }
    return CHATD_OK;
}

chatd_status onControl(void* instance, chatd_str command, chatd_str args_json, chatd_control_result* result,
                       chatd_error_buf* error) {
    Actor& a = self(instance);
    if (a.fail.count("on_control") != 0) return setError(error, "control broke"), CHATD_FAILED;
    const std::string_view cmd = view(command);
    if (cmd == "state_dir")
        a.answer = "\"" + a.state_dir + "\"";
    else if (cmd == "echo")
        a.answer = "{\"args\":" + std::string(view(args_json)) + "}";
    else if (cmd == "empty")
        a.answer.clear();
    else if (cmd == "broadcast")
        a.answer = a.api->broadcast(a.host, args_json) == CHATD_OK ? "true" : "false";
    else if (cmd == "peers")
        a.answer = "[" + a.peers + "]";
    else
        return setError(error, "unknown command '" + std::string(cmd) + "'"), CHATD_FAILED;
    result->json = str(a.answer);
    return CHATD_OK;
}

// The message services, as switched on by the config.
chatd_status onMessage(void* instance, chatd_message* msg, chatd_verdict*, chatd_error_buf*) {
    Actor& a = self(instance);
    const chatd_host_api& api = *a.api;
    const std::string text(view(api.message_text(msg)));
    const std::string room(view(api.message_room(msg)));
    const std::uint64_t sender = api.message_session_id(msg);
    if (a.echo_origin) a.notice(sender, "origin " + std::string(view(api.message_origin(msg))));
    for (int i = 0; i < a.posts_per_message; ++i) api.post(a.host, str(room), str("looper"), str(text));
    if (a.count_metric) {
        api.metric_add(a.host, str("messages"), str(room), 1);
        if (text == "bad metric") {
            const bool refused = api.metric_add(a.host, str("Bad-Name"), str(""), 1) == CHATD_FAILED &&
                                 api.metric_set(a.host, str("ok"), str("\xff"), 1) == CHATD_FAILED;
            a.notice(sender, refused ? "bad metrics refused" : "bad metrics accepted");
        }
    }
    if (a.info && text == "info") {
        chatd_session_info info{};
        info.struct_size = sizeof info;
        if (api.session_info(a.host, sender, &info) != CHATD_OK) {
            a.notice(sender, "no info");
        } else {
            a.notice(sender, "info " + std::string(view(info.session)) + " " + std::string(view(info.nick)) + " " +
                                 std::string(view(info.room)) + " " + std::string(view(info.address)) + " " +
                                 std::string(view(info.mode)) + " " + std::to_string(info.connected_ms));
        }
    }
    if (a.find && text.rfind("find ", 0) == 0) {
        std::uint64_t id = 0;
        const std::string nick = text.substr(5);
        a.notice(sender, api.find_session(a.host, str(room), str(nick), &id) == CHATD_OK ? "found " + std::to_string(id)
                                                                                         : "not found");
    }
    if (a.kick && text == "kick me") api.kick(a.host, sender, str(room), str("you asked"));
    if (a.kick && text == "ban me") api.disconnect(a.host, sender, CHATD_CLOSE_BANNED, str("banned"));
    if (a.kick && text == "bye") {
        const bool refused = api.disconnect(a.host, sender, 4999, str("x")) == CHATD_FAILED;
        a.notice(sender, refused ? "code refused" : "code accepted");
    }
    return CHATD_OK;
}

chatd_status onJoin(void* instance, const chatd_session_event* event, chatd_error_buf*) {
    Actor& a = self(instance);
    if (a.observe_join) a.notice(event->session_id, "join " + std::string(view(event->room)));
    return CHATD_OK;
}

chatd_status onLeave(void* instance, const chatd_session_event* event, chatd_error_buf*) {
    Actor& a = self(instance);
    if (a.observe_join) a.notice(event->session_id, "leave " + std::string(view(event->room)));
    return CHATD_OK;
}

// Keeps "<from> <payload>" (the payloads are JSON lists of plain words, so
// no escaping is needed in the test).
chatd_status onPeerMessage(void* instance, chatd_str from, chatd_str payload, chatd_error_buf* error) {
    Actor& a = self(instance);
    if (a.fail.count("on_peer_message") != 0) return setError(error, "peer hook broke"), CHATD_FAILED;
    std::string item(view(payload));
    for (char& c : item)
        if (c == '"') c = '\'';
    a.peers += (a.peers.empty() ? "\"" : ",\"") + std::string(view(from)) + " " + item + "\"";
    return CHATD_OK;
}

const chatd_plugin_api table = {
    .struct_size = sizeof(chatd_plugin_api),
    .abi_version = CHATD_PLUGIN_ABI_VERSION,
    .plugin_name = {"actor", 5},
    .init = init,
    .reload = nullptr,
    .on_message = onMessage,
    .on_verdict = nullptr,
    .on_join = onJoin,
    .on_leave = onLeave,
    .shutdown = shutdown,
    .on_connect = onConnect,
    .on_join_request = onJoinRequest,
    .on_tick = onTick,
    .on_control = onControl,
    .on_peer_message = onPeerMessage,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const chatd_plugin_api* chatd_plugin_entry(
    const std::uint32_t* offered, std::size_t offered_count, std::uint32_t* plugin_abi) {
    for (std::size_t i = 0; i < offered_count; ++i)
        if (offered[i] == CHATD_PLUGIN_ABI_VERSION) return &table;
    *plugin_abi = CHATD_PLUGIN_ABI_VERSION;
    return nullptr;
}
