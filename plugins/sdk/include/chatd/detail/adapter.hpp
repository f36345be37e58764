// Internal part of the C++ SDK: the C functions of plugin_abi.h implemented
// over chatd::sdk::Plugin. Every function here is noexcept: exceptions from a
// plugin's hooks are caught and become CHATD_FAILED plus an error message.
// Included by chatd/plugin.hpp; do not include directly.
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "chatd/detail/utf8.hpp"
#include "chatd/json.hpp"

namespace chatd::sdk::detail {

// Lets the adapter give a Plugin its Host before init().
struct Access {
    static void setHost(Plugin& plugin, Host host) { plugin.host_ = std::move(host); }
};

// One instance as the daemon sees it: the plugin object plus storage for the
// strings the last hook handed back (a verdict's code and reason, an
// admission's reason, a control result: valid until the next hook call, see
// the ABI).
struct Instance {
    std::unique_ptr<Plugin> plugin;
    std::string code;
    std::string reason;
    std::string control_json;
};

// Copies `message` into the host's error buffer, cut at a UTF-8 boundary.
inline void writeError(chatd_error_buf* error, std::string_view message) noexcept {
    if (error == nullptr || error->data == nullptr) return;
    std::size_t n = message.size() < error->capacity ? message.size() : error->capacity;
    if (n < message.size()) {
        while (n > 0 && (static_cast<unsigned char>(message[n]) & 0xC0) == 0x80) --n;
    }
    if (n > 0) std::memcpy(error->data, message.data(), n);
    error->size = n;
}

// Runs `body`, turning any exception into CHATD_FAILED + its message.
template <class Body>
chatd_status guarded(chatd_error_buf* error, Body&& body) noexcept {
    try {
        body();
        return CHATD_OK;
    } catch (const std::exception& e) {
        writeError(error, e.what());
    } catch (...) {
        writeError(error, "unknown exception (not derived from std::exception)");
    }
    return CHATD_FAILED;
}

inline YAML::Node parseConfig(chatd_str yaml) { return YAML::Load(std::string(fromC(yaml))); }

// The Host of a new instance. A 0.1 daemon's arguments end before state_dir.
inline Host hostFrom(const chatd_plugin_init_args* args) {
    if (args == nullptr || args->struct_size < offsetof(chatd_plugin_init_args, state_dir) || args->api == nullptr)
        throw std::invalid_argument("the daemon passed incomplete init arguments");
    const bool has_state_dir = args->struct_size >= offsetof(chatd_plugin_init_args, state_dir) + sizeof(chatd_str);
    return Host(args->api, args->host, std::string(fromC(args->instance_name)),
                has_state_dir ? std::string(fromC(args->state_dir)) : std::string());
}

// Throws unless the daemon's struct holds every field this SDK reads.
template <class Struct>
void requireComplete(const Struct* s, const char* what) {
    if (s == nullptr || s->struct_size < sizeof(Struct))
        throw std::invalid_argument(std::string("the daemon passed an incomplete ") + what);
}

template <class T>
chatd_status initHook(const chatd_plugin_init_args* args, void** instance_out, chatd_error_buf* error) noexcept {
    return guarded(error, [&] {
        auto instance = std::make_unique<Instance>();
        instance->plugin = std::make_unique<T>();
        Access::setHost(*instance->plugin, hostFrom(args));
        instance->plugin->init(parseConfig(args->config_yaml));
        *instance_out = instance.release();
    });
}

template <class T>
chatd_status reloadHook(void* previous, const chatd_plugin_init_args* args, void** instance_out,
                        chatd_error_buf* error) noexcept {
    return guarded(error, [&] {
        auto instance = std::make_unique<Instance>();
        instance->plugin = std::make_unique<T>();
        Access::setHost(*instance->plugin, hostFrom(args));
        instance->plugin->reload(parseConfig(args->config_yaml), *static_cast<Instance*>(previous)->plugin);
        *instance_out = instance.release();
    });
}

inline chatd_status messageHook(void* instance, chatd_message* msg, chatd_verdict* verdict,
                                chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] {
        Message message(self->plugin->host(), msg);
        Verdict decided = self->plugin->onMessage(message);
        self->code = std::move(decided.code);
        self->reason = std::move(decided.reason);
        verdict->kind = static_cast<std::int32_t>(decided.kind);
        verdict->code = toC(self->code);
        verdict->reason = toC(self->reason);
    });
}

inline chatd_status verdictHook(void* instance, const chatd_message* msg, const chatd_verdict* final_verdict,
                                chatd_str decided_by, chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] {
        const Message message(self->plugin->host(), const_cast<chatd_message*>(msg));
        Verdict seen{static_cast<VerdictKind>(final_verdict->kind), std::string(fromC(final_verdict->code)),
                     std::string(fromC(final_verdict->reason))};
        self->plugin->onVerdict(message, seen, fromC(decided_by));
    });
}

inline SessionEvent eventFrom(const chatd_session_event* event) {
    return SessionEvent{event->session_id, fromC(event->session), fromC(event->room), fromC(event->nick)};
}

inline chatd_status joinHook(void* instance, const chatd_session_event* event, chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] { self->plugin->onJoin(eventFrom(event)); });
}

inline chatd_status leaveHook(void* instance, const chatd_session_event* event, chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] { self->plugin->onLeave(eventFrom(event)); });
}

// Writes an admission into the daemon's verdict; the reason stays in `self`.
inline void setAdmission(Instance* self, Admission decided, chatd_admission* verdict) {
    self->reason = std::move(decided.reason);
    verdict->kind = decided.admitted ? CHATD_ADMIT : CHATD_REFUSE;
    verdict->reason = toC(self->reason);
    if (verdict->struct_size >= offsetof(chatd_admission, code) + sizeof(verdict->code)) {
        self->code = std::move(decided.code);
        verdict->code = toC(self->code);
    }
}

inline chatd_status connectHook(void* instance, const chatd_connect_event* event, chatd_admission* verdict,
                                chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] {
        requireComplete(event, "connect event");
        const ConnectEvent seen{fromC(event->address), fromC(event->origin), fromC(event->path), fromC(event->mode),
                                fromC(event->claims_json)};
        setAdmission(self, self->plugin->onConnect(seen), verdict);
    });
}

inline chatd_status joinRequestHook(void* instance, const chatd_join_request* request, chatd_admission* verdict,
                                    chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] {
        requireComplete(request, "join request");
        const JoinRequest seen{request->session_id,  fromC(request->session), fromC(request->room),
                               fromC(request->nick), fromC(request->address), fromC(request->claims_json)};
        setAdmission(self, self->plugin->onJoinRequest(seen), verdict);
    });
}

inline chatd_status tickHook(void* instance, chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] { self->plugin->onTick(); });
}

// Parses args_json into strings, runs onControl and hands back its JSON
// (refused when it is not valid UTF-8: it ends up in the control protocol).
inline chatd_status controlHook(void* instance, chatd_str command, chatd_str args_json, chatd_control_result* result,
                                chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] {
        const std::string_view args_text = fromC(args_json);
        const std::vector<std::string> args =
            args_text.empty() ? std::vector<std::string>{} : json::parseStringList(args_text);
        std::string answer = self->plugin->onControl(fromC(command), args);
        if (!isValidUtf8(answer)) throw std::invalid_argument("onControl answered with invalid UTF-8");
        self->control_json = std::move(answer);
        result->json = toC(self->control_json);
    });
}

inline chatd_status peerMessageHook(void* instance, chatd_str from_instance, chatd_str payload,
                                    chatd_error_buf* error) noexcept {
    auto* self = static_cast<Instance*>(instance);
    return guarded(error, [&] { self->plugin->onPeerMessage(fromC(from_instance), fromC(payload)); });
}

// Calls shutdown() (logging an exception: the host is still valid), then
// destroys the plugin object.
inline void shutdownHook(void* instance) noexcept {
    std::unique_ptr<Instance> self(static_cast<Instance*>(instance));
    const Host host = self->plugin->host();
    try {
        self->plugin->shutdown();
    } catch (const std::exception& e) {
        host.error(std::string("shutdown failed: ") + e.what());
    } catch (...) {
        host.error("shutdown failed: unknown exception");
    }
    try {
        self.reset();
    } catch (...) {
        host.error("destructor threw");
    }
}

// True if T (or a base between it and Plugin) overrides the hook: then
// &T::hook names a member of that class, not of Plugin.
#define CHATD_SDK_OVERRIDES(T, hook) (!std::is_same_v<decltype(&T::hook), decltype(&Plugin::hook)>)

// The function table of plugin class T (built once; `name` is the plugin's
// own name and must be a string literal or otherwise outlive the library).
// Hooks T does not override are left NULL, so the daemon skips them.
template <class T>
const chatd_plugin_api* pluginTable(const char* name) noexcept {
    static const chatd_plugin_api table{
        sizeof(chatd_plugin_api),
        CHATD_PLUGIN_ABI_VERSION,
        chatd_str{name, std::strlen(name)},
        &initHook<T>,
        &reloadHook<T>,
        CHATD_SDK_OVERRIDES(T, onMessage) ? &messageHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onVerdict) ? &verdictHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onJoin) ? &joinHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onLeave) ? &leaveHook : nullptr,
        &shutdownHook,
        CHATD_SDK_OVERRIDES(T, onConnect) ? &connectHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onJoinRequest) ? &joinRequestHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onTick) ? &tickHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onControl) ? &controlHook : nullptr,
        CHATD_SDK_OVERRIDES(T, onPeerMessage) ? &peerMessageHook : nullptr,
    };
    return &table;
}

#undef CHATD_SDK_OVERRIDES

// The entry point's body: picks ABI 1 if the host offers it, else refuses.
template <class T>
const chatd_plugin_api* negotiate(const char* name, const std::uint32_t* offered, std::size_t offered_count,
                                  std::uint32_t* plugin_abi) noexcept {
    for (std::size_t i = 0; offered != nullptr && i < offered_count; ++i) {
        if (offered[i] == CHATD_PLUGIN_ABI_VERSION) return pluginTable<T>(name);
    }
    if (plugin_abi != nullptr) *plugin_abi = CHATD_PLUGIN_ABI_VERSION;
    return nullptr;
}

}  // namespace chatd::sdk::detail

namespace chatd::sdk {
// The C function table of a plugin class, without dlopen: what the fake host
// (chatd/testing/fake_host.hpp) uses to test a class linked into the test.
template <class T>
const chatd_plugin_api* pluginTable(const char* name = "direct") noexcept {
    return detail::pluginTable<T>(name);
}
}  // namespace chatd::sdk
