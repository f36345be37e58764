// FakeBus: the operator's view across instances (directory()) and plugin
// broadcasts, answered from the fake Redis the way RedisBus' scripts do.
#include <algorithm>

#include "fake_bus.h"
#include "protocol/names.h"

namespace chatd::testing {

namespace {
constexpr std::size_t kMaxBroadcastPayload = 64 * 1024;  // RedisBus::kMaxBroadcastPayload
}  // namespace

void FakeBus::directory(bus::DirectoryQuery query, bus::DirectoryDone done) {
    bus::DirectoryAnswer answer;
    {
        std::lock_guard lock(mutex_);
        if (!link_up_ || stopped_) {
            answer.error = "Redis is unreachable";
        } else {
            answer.answered = true;
            switch (query.kind) {
                case bus::DirectoryQuery::Kind::Rooms:
                    for (const auto& [name, state] : rooms_)
                        if (!state.users.empty()) answer.rooms.push_back({name, state.users.size()});
                    break;
                case bus::DirectoryQuery::Kind::Who:
                    if (const auto room = rooms_.find(query.room); room != rooms_.end())
                        for (const auto& [folded, holder] : room->second.users)
                            answer.members.push_back({holder.nick, holder.instance});  // folded order
                    break;
                case bus::DirectoryQuery::Kind::DisconnectNick: {
                    const std::string folded = protocol::foldName(query.nick);
                    const bool b_holds = std::ranges::any_of(rooms_, [&](const auto& room) {
                        const auto held = room.second.users.find(folded);
                        return held != room.second.users.end() && held->second.instance == kOtherInstance;
                    });
                    if (b_holds) disconnects_told_b_.push_back(query.nick);
                    answer.instances_told = b_holds ? 1 : 0;
                    break;
                }
            }
        }
    }
    done(std::move(answer));
}

bool FakeBus::broadcast(bus::PluginBroadcast broadcast) {
    std::lock_guard lock(mutex_);
    if (!link_up_ || stopped_ || broadcast.payload.size() > kMaxBroadcastPayload) return false;
    broadcasts_.push_back(std::move(broadcast));
    return true;
}

std::vector<bus::PluginBroadcast> FakeBus::broadcasts() const {
    std::lock_guard lock(mutex_);
    return broadcasts_;
}

std::vector<std::string> FakeBus::disconnectsToldB() const {
    std::lock_guard lock(mutex_);
    return disconnects_told_b_;
}

void FakeBus::remoteDisconnect(const std::string& nick, const std::string& reason) {
    std::lock_guard in_order(report_mutex_);
    if (listener_) listener_->onRemoteDisconnect(nick, reason);
}

void FakeBus::remoteBroadcast(bus::PluginBroadcast broadcast) {
    std::lock_guard in_order(report_mutex_);
    if (listener_) listener_->onPluginBroadcast(kOtherInstance, std::move(broadcast));
}

}  // namespace chatd::testing
