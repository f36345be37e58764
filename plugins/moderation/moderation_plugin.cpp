// The moderation plugin's hooks: admission (bans), messages (mutes and the
// moderators' chat commands), session tracking, expiry and persistence. The
// actions themselves are in moderation_actions.cpp.
//
// Enable it in /etc/chatd.yaml (no config needed), then reload:
//
//     plugins:
//       - name: moderation
//         tick: 1s
#include "moderation_plugin.h"

#include <chrono>
#include <stdexcept>

#include <chatd/config.hpp>

#include "json_value.h"

namespace chatd::plugins::moderation {

std::int64_t ModerationPlugin::nowMs() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void ModerationPlugin::init(const YAML::Node& config) {
    namespace cfg = sdk::config;
    cfg::checkKeys(config, {"moderator_claim", "moderator_values", "state_file"});
    claim_ = cfg::get<std::string>(config, "moderator_claim", "role");
    moderator_values_ = cfg::get<std::vector<std::string>>(config, "moderator_values", {"moderator"});
    if (claim_.empty()) throw std::runtime_error("key 'moderator_claim' must not be empty");
    path_ = cfg::get<std::string>(config, "state_file", "");
    if (path_.empty() && !host().stateDir().empty())
        path_ = host().stateDir() + "/moderation-" + host().instanceName() + ".json";
    if (path_.empty()) {
        host().warn("no state_dir: bans and mutes are kept in memory only");
    } else {
        try {
            if (store_.load(path_))
                host().info("loaded " + std::to_string(store_.activeCount(nowMs())) + " bans and mutes from " + path_);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error(path_ + " is not a moderation file (" + e.what() + "); fix or move it away");
        }
    }
    maybeSync();  // with a single instance (or before Redis is up) this fails and is retried
}

void ModerationPlugin::reload(const YAML::Node& config, sdk::Plugin& previous) {
    const auto& old = static_cast<const ModerationPlugin&>(previous);
    init(config);
    store_ = old.store_;
    members_ = old.members_;
    synced_ = old.synced_;
    persist();
}

bool ModerationPlugin::isModerator(std::uint64_t session_id) const {
    const auto info = host().sessionInfo(session_id);
    if (!info) return false;
    const std::string value = stringClaim(info->claims_json, claim_);
    for (const std::string& v : moderator_values_)
        if (!value.empty() && v == value) return true;
    return false;
}

namespace {
// True for "/kick ...", "/bans" and the other commands this plugin owns.
bool isModerationCommand(std::string_view text) {
    static constexpr std::string_view kCommands[] = {"/kick", "/mute", "/unmute", "/ban", "/unban", "/bans", "/mutes"};
    const std::string_view word = text.substr(0, text.find(' '));
    for (std::string_view c : kCommands)
        if (word == c) return true;
    return false;
}
}  // namespace

sdk::Verdict ModerationPlugin::onMessage(sdk::Message& msg) {
    if (!msg.origin().empty()) return sdk::Verdict::pass();  // posts and `chatdctl say`
    if (isModerationCommand(msg.text())) {
        if (!isModerator(msg.sessionId()))
            return sdk::Verdict::reject("only moderators may use " + std::string(msg.text().substr(0, msg.text().find(' '))));
        msg.reply(chatCommand(msg.room(), msg.nick(), msg.text()));
        return sdk::Verdict::drop();
    }
    if (const auto mute = store_.find(Kind::Mute, msg.nick(), {}, msg.room(), nowMs())) {
        std::string reason = "you are muted " + untilText(mute->until_ms);
        if (!mute->reason.empty()) reason += ": " + mute->reason;
        return sdk::Verdict::muted(std::move(reason));
    }
    return sdk::Verdict::pass();
}

void ModerationPlugin::onJoin(const sdk::SessionEvent& event) {
    members_[event.session_id] = Member{std::string(event.room), std::string(event.nick)};
    maybeSync();
}

void ModerationPlugin::onLeave(const sdk::SessionEvent& event) {
    const auto it = members_.find(event.session_id);
    if (it != members_.end() && it->second.room == event.room) members_.erase(it);
}

namespace {
std::string refusal(const Entry& ban, std::string_view room) {
    std::string text = "banned " + (room.empty() ? std::string() : "from " + std::string(room) + " ") +
                       untilText(ban.until_ms);
    return ban.reason.empty() ? text : text + ": " + ban.reason;
}
}  // namespace

sdk::Admission ModerationPlugin::onConnect(const sdk::ConnectEvent& event) {
    if (const auto ban = store_.find(Kind::Ban, {}, event.address, {}, nowMs())) {
        record("refused", "connection from " + std::string(event.address) + " refused: " + refusal(*ban, {}));
        return sdk::Admission::refuse(refusal(*ban, {}));
    }
    return sdk::Admission::admit();
}

sdk::Admission ModerationPlugin::onJoinRequest(const sdk::JoinRequest& request) {
    maybeSync();
    if (const auto ban = store_.find(Kind::Ban, request.nick, request.address, request.room, nowMs())) {
        record("refused", "join of " + std::string(request.nick) + " (" + std::string(request.address) + ") into " +
                              std::string(request.room) + " refused: " + refusal(*ban, request.room));
        return sdk::Admission::banned(refusal(*ban, request.room));
    }
    return sdk::Admission::admit();
}

void ModerationPlugin::onTick() {
    maybeSync();
    const std::size_t before = store_.entries().size();
    const std::vector<Entry> lapsed = store_.expire(nowMs());
    for (const Entry& e : lapsed)
        record("expired", std::string(kindName(e.kind)) + " of " + e.target +
                              (e.room.empty() ? std::string(" everywhere") : " in " + e.room) + " lapsed");
    if (store_.entries().size() != before) persist();  // lapsed entries or old tombstones
}

std::string ModerationPlugin::onControl(std::string_view command, const std::vector<std::string>& args) {
    return run(parseControl(command, args)).json;  // the SDK turns a throw into chatdctl's error
}

void ModerationPlugin::persist() {
    if (path_.empty()) return;
    try {
        store_.save(path_);
    } catch (const std::exception& e) {
        host().error(std::string("bans and mutes not saved: ") + e.what());
    }
}

// Logs one action and counts it as chatd_plugin_custom{name="actions",label=action}.
void ModerationPlugin::record(const std::string& action, const std::string& line) {
    host().info(line);
    host().metricAdd("actions", action, 1);
}

}  // namespace chatd::plugins::moderation

CHATD_PLUGIN(chatd::plugins::moderation::ModerationPlugin, "moderation");
