// The moderation plugin: kick, mute and ban (by nick or address/network, in a
// room or everywhere, for a while or forever) from `chatdctl plugin
// moderation ...` and from the chat for token-holding moderators; shared
// with the instance of the same name on every other chatd instance through
// the daemon's broadcasts (moderation_sharing.cpp). README.md says how to
// enable and use it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <chatd/plugin.hpp>

#include "moderation_store.h"

namespace chatd::plugins::moderation {

// One moderation request, from chatdctl or the chat.
struct Request {
    std::string action;        // ban, unban, mute, unmute, kick, bans, mutes
    std::string target;        // a nick, an address or a CIDR network
    std::string room;          // "" = everywhere (kick: every room the nick is in)
    std::int64_t duration_ms = 0;  // 0 = forever
    std::string reason;
    std::string by = "admin";
};

// What a request did: `json` for chatdctl, `text` for a moderator's notice.
struct Outcome {
    std::string json;
    std::string text;
};

class ModerationPlugin : public sdk::Plugin {
public:
    void init(const YAML::Node& config) override;
    // Like init, then carries the bans, mutes and known sessions over from `previous`.
    void reload(const YAML::Node& config, sdk::Plugin& previous) override;
    sdk::Verdict onMessage(sdk::Message& msg) override;
    void onJoin(const sdk::SessionEvent& event) override;
    void onLeave(const sdk::SessionEvent& event) override;
    sdk::Admission onConnect(const sdk::ConnectEvent& event) override;
    sdk::Admission onJoinRequest(const sdk::JoinRequest& request) override;
    void onTick() override;
    std::string onControl(std::string_view command, const std::vector<std::string>& args) override;
    // A peer's action or state (moderation_sharing.cpp).
    void onPeerMessage(std::string_view from_instance, std::string_view payload) override;

    // Runs one request; throws std::invalid_argument with a message for the operator.
    Outcome run(const Request& request);
    const ModerationStore& store() const { return store_; }

protected:
    // The clock (ms since the Unix epoch); tests override it.
    virtual std::int64_t nowMs() const;

private:
    struct Member {
        std::string room;
        std::string nick;
    };

    Outcome ban(const Request& r, bool mute);
    Outcome lift(const Request& r, Kind kind);
    Outcome kick(const Request& r);
    Outcome list(Kind kind) const;
    // Closes or kicks the connected sessions a new ban applies to; notifies muted ones.
    int enforce(const Entry& entry);
    bool isModerator(std::uint64_t session_id) const;
    // A moderator's chat command ("/ban bob 1d spam"): its notice text.
    std::string chatCommand(std::string_view room, std::string_view nick, std::string_view text);
    void persist();
    void record(const std::string& action, const std::string& line);

    // Sharing (moderation_sharing.cpp). Tells the other instances of one
    // local action (a set entry or a tombstone); a failed send makes the next
    // maybeSync() resend the whole state.
    void share(const Entry& entry);
    // Until a sync went out: at most once a second, asks the peers for their
    // entries and sends ours (an instance that was down, or cut off from
    // Redis, catches up both ways).
    void maybeSync();
    // Sends every entry, tombstones included (in payloads under the
    // daemon's limit; nothing when there are none). False when a send failed.
    bool sendState();
    // A peer's entry: merged by time; when it wins it is saved and enforced here.
    void applyPeer(const Entry& entry, std::string_view from_instance);

    ModerationStore store_;
    std::map<std::uint64_t, Member> members_;
    std::string path_;
    std::string claim_ = "role";
    std::vector<std::string> moderator_values_{"moderator"};
    bool synced_ = false;             // a sync went out since the last failed send
    std::int64_t last_sync_try_ms_ = 0;
};

// Parses `chatdctl plugin moderation COMMAND ARGS...` into a Request; throws
// std::invalid_argument with a usage message.
Request parseControl(std::string_view command, const std::vector<std::string>& args);

}  // namespace chatd::plugins::moderation
