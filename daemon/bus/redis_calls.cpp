#include "bus/redis_calls.h"

#include "bus/record.h"
#include "protocol/names.h"

namespace chatd::bus {

namespace {
std::string flag(bool value) { return value ? "1" : "0"; }
}  // namespace

RedisCalls::RedisCalls(const RedisSettings& settings, std::string instance)
    : prefix_(settings.key_prefix),
      instance_(std::move(instance)),
      history_length_(settings.history_length),
      history_age_ms_(settings.history_age.count()),
      ttl_ms_(settings.instance_ttl.count()) {}

std::string RedisCalls::roomKey(std::string_view room, std::string_view part) const {
    std::string key = roomChannel(room);
    key += ':';
    key += part;
    return key;
}

std::string_view RedisCalls::roomOfChannel(std::string_view channel) const {
    const std::string start = prefix_ + "room:";
    if (channel.size() <= start.size() || channel.substr(0, start.size()) != start) return {};
    return channel.substr(start.size());
}

ScriptCall RedisCalls::publish(const PublishRequest& request, std::uint64_t counter, const std::string& epoch) const {
    return ScriptCall{
        ScriptId::Publish,
        {roomKey(request.room, "meta"), roomKey(request.room, "log")},
        {roomChannel(request.room), instance_, std::to_string(counter), epoch, std::to_string(history_length_),
         std::to_string(history_age_ms_), encodeMessageBody(request.from, request.text, request.id, request.origin)}};
}

ScriptCall RedisCalls::claim(const ClaimRequest& request, const std::string& epoch) const {
    const std::string& room = request.room;
    return ScriptCall{
        ScriptId::Claim,
        {roomKey(room, "meta"), roomKey(room, "log"), roomKey(room, "users"), instancesKey(), instanceRoomsKey()},
        {room, instance_, roomChannel(room), ownChannel(), std::to_string(request.token), request.nick,
         protocol::foldName(request.nick), request.old_nick,
         request.old_nick.empty() ? std::string() : protocol::foldName(request.old_nick), epoch, flag(request.sync),
         request.since ? request.since->epoch : std::string(), std::to_string(request.since ? request.since->seq : 0),
         std::to_string(request.recent), std::to_string(history_length_), std::to_string(history_age_ms_),
         flag(request.users)}};
}

ScriptCall RedisCalls::release(const ReleaseRequest& request) const {
    return ScriptCall{ScriptId::Release,
                      {roomKey(request.room, "users")},
                      {roomChannel(request.room), instance_, protocol::foldName(request.nick), request.reason}};
}

ScriptCall RedisCalls::kick(const KickRequest& request) const {
    return ScriptCall{ScriptId::Kick, {}, {roomChannel(request.room), encodeKickRecord(request)}};
}

ScriptCall RedisCalls::resync(const ResyncRequest& request, const std::string& epoch,
                              const std::string& new_epoch) const {
    const std::string& room = request.room;
    ScriptCall call{
        ScriptId::Resync,
        {roomKey(room, "meta"), roomKey(room, "log"), roomKey(room, "users"), instancesKey(), instanceRoomsKey()},
        {room, instance_, roomChannel(room), ownChannel(), std::to_string(request.token), epoch,
         request.cursor ? request.cursor->epoch : std::string(),
         std::to_string(request.cursor ? request.cursor->seq : 0), std::to_string(history_length_),
         std::to_string(history_age_ms_), flag(request.new_epoch), new_epoch}};
    for (const std::string& nick : request.nicks) {
        call.args.push_back(nick);
        call.args.push_back(protocol::foldName(nick));
    }
    return call;
}

ScriptCall RedisCalls::rooms() const { return ScriptCall{ScriptId::Rooms, {instancesKey()}, {prefix_}}; }

ScriptCall RedisCalls::who(const std::string& room) const {
    return ScriptCall{ScriptId::Who, {roomKey(room, "users"), instancesKey()}, {}};
}

ScriptCall RedisCalls::disconnectNick(const std::string& nick, const std::string& reason) const {
    return ScriptCall{ScriptId::DisconnectNick,
                      {instancesKey()},
                      {prefix_, instance_, protocol::foldName(nick), encodeDisconnectRecord(nick, reason)}};
}

ScriptCall RedisCalls::heartbeat() const {
    return ScriptCall{
        ScriptId::Heartbeat, {instancesKey()}, {instance_, std::to_string(ttl_ms_), ownChannel(), prefix_}};
}

ScriptCall RedisCalls::goodbye() const { return ScriptCall{ScriptId::Goodbye, {instancesKey()}, {instance_, prefix_}}; }

}  // namespace chatd::bus
