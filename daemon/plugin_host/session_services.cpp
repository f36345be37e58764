// The host services that read what the daemon knows of sessions:
// session_info (its strings kept in thread-local storage until the same
// thread asks again) and find_session. Both go through PluginActions.
#include <cstddef>
#include <cstring>
#include <exception>

#include "plugin_host/host_services.h"
#include "plugin_host/plugin_actions.h"

namespace chatd::plugin_host::services {

namespace {

// The facts the last session_info call of this thread returned: the plugin
// reads its strings until it calls again or its hook returns.
thread_local SessionFacts last_facts;

// Writes `value` into the field at `offset` of `out` if the plugin's struct reaches that far.
template <typename T>
void put(chatd_session_info* out, std::size_t offset, const T& value) {
    if (offset + sizeof(T) <= out->struct_size) std::memcpy(reinterpret_cast<char*>(out) + offset, &value, sizeof(T));
}

}  // namespace

chatd_status sessionInfo(chatd_host* host, std::uint64_t session_id, chatd_session_info* out) {
    const HostContext& ctx = context(host);
    if (ctx.actions == nullptr || out == nullptr) return CHATD_FAILED;
    try {
        auto facts = ctx.actions->session(session_id);
        if (!facts) return CHATD_FAILED;
        last_facts = std::move(*facts);
    } catch (const std::exception& e) {  // nothing may unwind into a plugin
        ctx.logger->error("session_info failed: {}", e.what());
        return CHATD_FAILED;
    } catch (...) {
        return CHATD_FAILED;
    }
    const SessionFacts& f = last_facts;
    put(out, offsetof(chatd_session_info, session), str(f.session));
    put(out, offsetof(chatd_session_info, nick), str(f.nick));
    put(out, offsetof(chatd_session_info, room), str(f.room));
    put(out, offsetof(chatd_session_info, address), str(f.address));
    put(out, offsetof(chatd_session_info, mode), str(f.mode));
    put(out, offsetof(chatd_session_info, connected_ms), static_cast<std::int64_t>(f.connected_ms));
    put(out, offsetof(chatd_session_info, claims_json), str(f.claims_json));
    return CHATD_OK;
}

chatd_status findSession(chatd_host* host, chatd_str room, chatd_str nick, std::uint64_t* session_id) {
    const HostContext& ctx = context(host);
    if (ctx.actions == nullptr || session_id == nullptr) return CHATD_FAILED;
    try {
        auto found = ctx.actions->findSession(view(room), view(nick));
        if (!found) return CHATD_FAILED;
        *session_id = *found;
        return CHATD_OK;
    } catch (...) {  // nothing may unwind into a plugin
        return CHATD_FAILED;
    }
}

}  // namespace chatd::plugin_host::services
