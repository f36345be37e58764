// PluginActions: what plugins (through the host services of plugin_abi.h)
// and the operator (through the control socket) may ask of the running
// daemon. The plugin host only sees this interface; the server implements it
// on top of the hub and the session directory (server/daemon_actions.h).
// Every method may be called from any thread, including from inside a hook
// (a hub thread holding a plugin's lock): the acting ones only queue their
// action and return, so they never re-enter the pipeline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::plugin_host {

// Who a posted message is from, shown to clients as `origin`.
enum class PostOrigin { Plugin, Admin };

struct PostRequest {
    std::string room;
    std::string from;  // the name shown (a bot's, or "admin")
    std::string text;
    PostOrigin origin = PostOrigin::Plugin;
    // The plugin instance that posts: the message passes only the plugins
    // after it in the pipeline. Empty (an operator's post): all of them.
    std::string plugin;
};

struct KickRequest {
    std::uint64_t session_id = 0;
    std::string room;
    std::string reason;
    std::string by;  // shown in the `kicked` event: a plugin's name or "admin"
    bool banned = false;  // a room ban: the room's presence leave says "banned", not "kicked"
};

// What the daemon knows of one session on this instance.
struct SessionFacts {
    std::uint64_t session_id = 0;
    std::string session;  // as clients see it
    std::string nick;     // "" before its first join
    std::string room;     // "" when in none
    std::string address;
    std::string mode;  // "json" or "raw"
    std::int64_t connected_ms = 0;
    std::string claims_json;  // "" when auth is off
};

class PluginActions {
public:
    virtual ~PluginActions() = default;
    // Queues the post onto the room's owning thread. An error text when it
    // is refused at once (bad room name, text too long...), else "".
    virtual std::string post(PostRequest request) = 0;
    // Queues the kick; a session no longer in the room is left alone.
    virtual void kick(KickRequest request) = 0;
    // Queues closing the session's connection with `code` (4000 or 4003).
    virtual void disconnect(std::uint64_t session_id, std::uint16_t code, std::string reason) = 0;
    // A notice from `plugin` to one session (best effort).
    virtual void notice(std::uint64_t session_id, std::string_view plugin, std::string_view text) = 0;
    virtual std::optional<SessionFacts> session(std::uint64_t session_id) const = 0;
    // The session holding `nick` in `room` on this instance.
    virtual std::optional<std::uint64_t> findSession(std::string_view room, std::string_view nick) const = 0;
    // Hands `payload` to the instance named `plugin` on every other chatd
    // instance (the bus). False when not sent: rooms not shared right now.
    virtual bool broadcast(std::string_view plugin, std::string payload) = 0;
};

}  // namespace chatd::plugin_host
