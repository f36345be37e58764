#include "chat/room.h"

#include "protocol/names.h"
#include "ws/opcode.h"

namespace chatd::chat {

Room::Room(std::string name, std::string epoch, unsigned loop_count, Ordering ordering,
           std::atomic<std::size_t>* history_total)
    : name_(std::move(name)),
      epoch_(std::move(epoch)),
      per_loop_(loop_count, 0),
      history_(history_total),
      last_activity_(util::steadyNow()),
      ordering_(ordering) {}

const Member* Room::findMember(std::uint64_t session_id) const {
    const auto it = members_.find(session_id);
    return it == members_.end() ? nullptr : &it->second;
}

std::optional<std::uint64_t> Room::nickOwner(std::string_view nick) const {
    const std::string folded = protocol::foldName(nick);
    if (const auto it = nick_owner_.find(folded); it != nick_owner_.end()) return it->second;
    if (reserved_.empty()) return std::nullopt;
    if (const auto it = reserved_.find(folded); it != reserved_.end()) return it->second;
    return std::nullopt;
}

void Room::reserveNick(std::string_view nick, std::uint64_t session_id) {
    reserved_[protocol::foldName(nick)] = session_id;
}

void Room::releaseNick(std::string_view nick, std::uint64_t session_id) {
    const auto it = reserved_.find(protocol::foldName(nick));
    if (it != reserved_.end() && it->second == session_id) reserved_.erase(it);
}

void Room::startLocalEpoch(std::string epoch) {
    ordering_ = Ordering::Local;
    epoch_ = std::move(epoch);
    seq_ = 0;
    numbered_ = 0;
    ++generation_;
    history_.clear();
}

void Room::restore(const StoredRoom& stored, const HistoryLimits& limits) {
    epoch_ = stored.epoch;
    const std::size_t held = static_cast<std::size_t>(std::min<std::uint64_t>(stored.recent.size(), stored.seq));
    seq_ = numbered_ = stored.seq - held;
    history_.clear();
    for (std::size_t i = stored.recent.size() - held; i < stored.recent.size(); ++i)
        appendHistory(seq_ + 1, net::makeFrame(ws::Opcode::Text, stored.recent[i]), limits);
}

bool Room::addMember(const SessionRef& ref, std::string nick) {
    if (!nick_owner_.emplace(protocol::foldName(nick), ref.id).second) return false;
    members_.emplace(ref.id, Member{ref, std::move(nick), false});
    ++per_loop_[loopIndexOf(ref.id)];
    if (ref.mode == Mode::Raw) ++raw_members_;
    last_activity_ = util::steadyNow();
    return true;
}

std::optional<std::string> Room::removeMember(std::uint64_t session_id) {
    const auto it = members_.find(session_id);
    if (it == members_.end()) return std::nullopt;
    std::string nick = std::move(it->second.nick);
    if (it->second.ref.mode == Mode::Raw) --raw_members_;
    --per_loop_[loopIndexOf(session_id)];
    members_.erase(it);
    nick_owner_.erase(protocol::foldName(nick));
    last_activity_ = util::steadyNow();
    return nick;
}

void Room::setJoining(std::uint64_t session_id, bool joining) {
    if (const auto it = members_.find(session_id); it != members_.end()) it->second.joining = joining;
}

bool Room::renameMember(std::uint64_t session_id, std::string nick) {
    const auto it = members_.find(session_id);
    if (it == members_.end()) return false;
    const std::string folded = protocol::foldName(nick);
    const auto owner = nick_owner_.find(folded);
    if (owner != nick_owner_.end() && owner->second != session_id) return false;
    if (const auto reserved = reserved_.find(folded); reserved != reserved_.end() && reserved->second != session_id)
        return false;
    nick_owner_.erase(protocol::foldName(it->second.nick));
    nick_owner_[folded] = session_id;
    it->second.nick = std::move(nick);
    return true;
}

std::vector<std::string> Room::nicks() const {
    std::vector<std::string> result;
    result.reserve(members_.size());
    for (const auto& [id, member] : members_) result.push_back(member.nick);
    return result;
}

std::vector<std::string> Room::welcomeUsers(std::string_view own, std::size_t limit) const {
    std::vector<std::string> result;
    if (limit == 0) return result;
    result.reserve(std::min(limit, members_.size()));
    result.emplace_back(own);
    const std::string own_folded = protocol::foldName(own);
    for (auto it = nick_owner_.begin(); it != nick_owner_.end() && result.size() < limit; ++it)
        if (it->first != own_folded) result.push_back(members_.at(it->second).nick);
    return result;
}

namespace {
// One page of `by_folded` (folded nick -> whatever `nickOf` turns into the nick).
template <typename Map, typename NickOf>
UsersPage pageOf(const Map& by_folded, const std::optional<std::string>& after, std::size_t limit, NickOf nickOf) {
    UsersPage page;
    auto it = after ? by_folded.upper_bound(protocol::foldName(*after)) : by_folded.begin();
    for (; it != by_folded.end() && page.users.size() < limit; ++it) page.users.push_back(nickOf(it->second));
    if (it != by_folded.end() && !page.users.empty()) page.next = page.users.back();
    return page;
}
}  // namespace

UsersPage Room::usersPage(const std::optional<std::string>& after, std::size_t limit) const {
    if (ordering_ == Ordering::Shared && !sharing_.known_members.empty())
        return pageOf(sharing_.known_members, after, limit, [](const std::string& nick) { return nick; });
    return pageOf(nick_owner_, after, limit, [this](std::uint64_t id) { return members_.at(id).nick; });
}

std::size_t Room::knownMemberCount() const {
    if (ordering_ == Ordering::Shared && !sharing_.known_members.empty()) return sharing_.known_members.size();
    return members_.size();
}

void Room::appendHistory(std::uint64_t seq, net::SharedFrame frame, const HistoryLimits& limits) {
    last_activity_ = util::steadyNow();
    seq_ = seq;
    if (numbered_ < seq) numbered_ = seq;
    history_.append(seq, std::move(frame), limits);
}

HistorySlice Room::historyAfter(const std::optional<protocol::Since>& since) const {
    HistorySlice slice;
    std::size_t first = 0;
    if (since && since->epoch == epoch_ && since->seq <= seq_) {
        // Everything after since->seq is held when the oldest held message is
        // at most since->seq + 1 (or nothing was missed at all).
        const std::uint64_t oldest = history_.empty() ? seq_ + 1 : history_.oldest().seq;
        if (since->seq + 1 >= oldest) {
            slice.recovered = true;
            first = static_cast<std::size_t>(since->seq + 1 - oldest);
        }
    }
    slice.messages_json.reserve(history_.size() - std::min(first, history_.size()));
    for (std::size_t i = first; i < history_.size(); ++i)
        slice.messages_json.push_back(net::framePayload(*history_[i].frame));
    return slice;
}

HistoryPage Room::historyBefore(std::optional<std::uint64_t> before, std::size_t limit) const {
    // Held seqs are consecutive: the one before `before` sits at a known index.
    std::size_t end = history_.size();
    if (before && !history_.empty()) {
        const std::uint64_t oldest = history_.oldest().seq;
        end = *before <= oldest ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(*before - oldest, end));
    }
    const std::size_t first = end > limit ? end - limit : 0;
    HistoryPage page;
    page.more = first > 0;
    page.messages_json.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) page.messages_json.push_back(net::framePayload(*history_[i].frame));
    return page;
}

}  // namespace chatd::chat
