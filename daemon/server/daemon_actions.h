// DaemonActions: the server's PluginActions, what plugins and the control
// socket act through. Posts and kicks become hub commands queued onto the
// room's shard; a disconnect is queued onto the session's IO loop; the facts
// come from the hub's session directory; a plugin's broadcast goes onto the
// hub's bus. Every method: any thread.
#pragma once

#include <functional>

#include "plugin_host/plugin_actions.h"

namespace chatd::chat {
class Hub;
}

namespace chatd::server {

class DaemonActions final : public plugin_host::PluginActions {
public:
    // Closes a session's connection with a code and reason (on its loop).
    using CloseFn = std::function<void(std::uint64_t session_id, std::uint16_t code, std::string reason)>;

    DaemonActions(chat::Hub& hub, CloseFn close) : hub_(hub), close_(std::move(close)) {}

    std::string post(plugin_host::PostRequest request) override;
    void kick(plugin_host::KickRequest request) override;
    void disconnect(std::uint64_t session_id, std::uint16_t code, std::string reason) override;
    void notice(std::uint64_t session_id, std::string_view plugin, std::string_view text) override;
    std::optional<plugin_host::SessionFacts> session(std::uint64_t session_id) const override;
    std::optional<std::uint64_t> findSession(std::string_view room, std::string_view nick) const override;
    // Through the hub's bus to the namesake plugin on every other instance.
    bool broadcast(std::string_view plugin, std::string payload) override;

    // The operator's kick of `nick` in `room`: the local member at once, else
    // (rooms shared through Redis) whichever instance holds the nick. What
    // was done: the local session's id, 0 when handed to the bus, nullopt
    // when nobody here holds the nick and the rooms are not shared.
    std::optional<std::uint64_t> kickNick(const std::string& room, const std::string& nick, const std::string& reason,
                                          const std::string& by);

    // What is wrong with a post (bad room, from or text), or "" when it may go.
    static std::string postProblem(const plugin_host::PostRequest& request, std::size_t max_text_bytes);

private:
    chat::Hub& hub_;
    CloseFn close_;
};

}  // namespace chatd::server
