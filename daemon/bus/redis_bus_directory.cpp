// RedisBus, the operator's view across instances (directory(): chatdctl
// rooms, who, disconnect NICK) and the plugins' broadcasts (broadcast()).
// Both are handed to the bus thread; neither waits for the link to come
// back: while Redis is unreachable they answer at once (not answered,
// not sent).
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "bus/record.h"
#include "bus/redis_bus.h"
#include "protocol/names.h"

namespace chatd::bus {

namespace {

constexpr std::string_view kUnreachable = "Redis is unreachable";

DirectoryAnswer notAnswered(std::string error) {
    DirectoryAnswer answer;
    answer.error = std::move(error);
    return answer;
}

// An array reply's element `index` as text (a string or an integer).
std::string elementText(const redisReply& reply, std::size_t index) {
    const redisReply* item = reply.element[index];
    if (item->type == REDIS_REPLY_INTEGER) return std::to_string(item->integer);
    return std::string(replyText(item));
}

// The flat room, count, ... list of the rooms script.
DirectoryAnswer roomsAnswer(const redisReply& reply) {
    DirectoryAnswer answer;
    answer.answered = true;
    for (std::size_t i = 0; i + 1 < reply.elements; i += 2) {
        const redisReply* count = reply.element[i + 1];
        answer.rooms.push_back(SharedRoom{
            .room = elementText(reply, i),
            .members = count->type == REDIS_REPLY_INTEGER ? static_cast<std::uint64_t>(count->integer) : 0});
    }
    std::ranges::sort(answer.rooms, {}, &SharedRoom::room);
    return answer;
}

// The flat nick, instance, ... list of the who script, by nick (case-insensitive).
DirectoryAnswer whoAnswer(const redisReply& reply) {
    DirectoryAnswer answer;
    answer.answered = true;
    for (std::size_t i = 0; i + 1 < reply.elements; i += 2)
        answer.members.push_back(SharedMember{.nick = elementText(reply, i), .instance = elementText(reply, i + 1)});
    std::ranges::sort(answer.members, [](const SharedMember& a, const SharedMember& b) {
        const std::string fa = protocol::foldName(a.nick), fb = protocol::foldName(b.nick);
        return fa != fb ? fa < fb : a.nick < b.nick;
    });
    return answer;
}

}  // namespace

void RedisBus::directory(DirectoryQuery query, DirectoryDone done) {
    if (!sharing_.load()) return done(notAnswered(std::string(kUnreachable)));
    loop_.post([this, query = std::move(query), done = std::move(done)] { askDirectory(query, done); });
}

// The query's script on the command connection; its reply, or why there is
// none, goes to `done` (exactly once).
void RedisBus::askDirectory(const DirectoryQuery& query, const DirectoryDone& done) {
    if (link_ != Link::Up || stopping_) return done(notAnswered(std::string(kUnreachable)));
    using Kind = DirectoryQuery::Kind;
    const ScriptCall script_call = query.kind == Kind::Rooms ? calls_.rooms()
                                   : query.kind == Kind::Who ? calls_.who(query.room)
                                                             : calls_.disconnectNick(query.nick, query.reason);
    call(script_call, [kind = query.kind, done](const redisReply* reply) {
        if (!reply) return done(notAnswered("lost Redis before it answered"));
        if (isError(reply)) {
            spdlog::warn("bus: a directory query failed: {}", replyText(reply));
            return done(notAnswered("Redis refused the query: " + std::string(replyText(reply))));
        }
        if (kind == DirectoryQuery::Kind::DisconnectNick) {
            DirectoryAnswer answer;
            answer.answered = true;
            if (reply->type == REDIS_REPLY_INTEGER) answer.instances_told = static_cast<std::uint64_t>(reply->integer);
            return done(std::move(answer));
        }
        if (reply->type != REDIS_REPLY_ARRAY) return done(notAnswered("Redis answered the query with no list"));
        done(kind == DirectoryQuery::Kind::Rooms ? roomsAnswer(*reply) : whoAnswer(*reply));
    });
}

bool RedisBus::broadcast(PluginBroadcast broadcast) {
    if (broadcast.plugin.empty() || broadcast.payload.size() > kMaxBroadcastPayload || !sharing_.load()) return false;
    loop_.post([this, broadcast = std::move(broadcast)] { sendBroadcast(broadcast); });
    return true;
}

// PUBLISH on P plugins; every instance's subscription hears it (this one's too,
// and drops it in onPluginRecord()).
void RedisBus::sendBroadcast(const PluginBroadcast& broadcast) {
    if (link_ != Link::Up || stopping_) {
        spdlog::warn("bus: broadcast of plugin {} dropped: Redis is unreachable", broadcast.plugin);
        return;
    }
    const std::string channel = calls_.pluginsChannel();
    const std::string record = encodePluginRecord(calls_.instance(), broadcast);
    const std::string_view command[] = {"PUBLISH", channel, record};
    commands_->command(command, [plugin = broadcast.plugin](const redisReply* reply) {
        if (isError(reply)) spdlog::warn("bus: broadcast of plugin {} failed: {}", plugin, replyText(reply));
    });
}

void RedisBus::onPluginRecord(std::string_view record) {
    auto decoded = decodePluginRecord(record);
    if (!decoded) {
        spdlog::warn("bus: malformed plugin broadcast ignored ({} bytes)", record.size());
        return;
    }
    if (decoded->instance == calls_.instance()) return;  // our own, back through the subscription
    listener_->onPluginBroadcast(decoded->instance, std::move(decoded->broadcast));
}

}  // namespace chatd::bus
