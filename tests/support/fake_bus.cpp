#include "fake_bus.h"

#include <algorithm>
#include <stdexcept>

#include "protocol/names.h"
#include "util/clock.h"

namespace chatd::testing {

// ---- bus::Bus ----

void FakeBus::start(bus::Listener& listener) {
    change([&] {
        listener_ = &listener;
        if (link_up_) emit({}, {}, true);
    });
}

bool FakeBus::waitUntilSharing(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return link_up_; });
}

void FakeBus::stop(std::chrono::milliseconds) {
    std::lock_guard in_order(report_mutex_);
    std::lock_guard lock(mutex_);
    stopped_ = true;
    outbox_.clear();
}

std::string_view FakeBus::state() const {
    std::lock_guard lock(mutex_);
    return link_up_ ? "redis" : "degraded";
}

void FakeBus::publish(bus::PublishRequest request) { handle(std::move(request)); }
void FakeBus::claim(bus::ClaimRequest request) { handle(std::move(request)); }
void FakeBus::release(bus::ReleaseRequest request) { handle(std::move(request)); }
void FakeBus::resync(bus::ResyncRequest request) { handle(std::move(request)); }
void FakeBus::history(bus::HistoryRequest request) { handle(std::move(request)); }
void FakeBus::kick(bus::KickRequest request) { handle(std::move(request)); }

// Records the request, then answers it as Redis would; with the link down,
// publishes and claims bounce (as RedisBus does) and the rest is dropped.
void FakeBus::handle(bus::Request request) {
    change([&] {
        record(request);
        if (link_up_) {
            std::visit([this](auto& r) { answer(r); }, request);
        } else if (std::holds_alternative<bus::PublishRequest>(request) ||
                   std::holds_alternative<bus::HistoryRequest>(request) ||
                   std::holds_alternative<bus::ClaimRequest>(request)) {
            const std::string room = std::visit([](const auto& r) { return r.room; }, request);
            emit(room, bus::Bounced{std::move(request)});
        }
    });
}

// Like the publish script: the next seq of the room's epoch, kept and shared.
void FakeBus::answer(bus::PublishRequest& request) {
    append(request.room, request.from, request.text, request.id, request.origin);
}

// Like the claim script: 'taken' when another instance holds the nick, else
// the nick is this instance's, a join gets its sync point and the room hears
// the join (or the rename).
void FakeBus::answer(bus::ClaimRequest& request) {
    RoomState& state = roomNamed(request.room);
    const std::string folded = protocol::foldName(request.nick);
    const std::string old_folded = request.old_nick.empty() ? "" : protocol::foldName(request.old_nick);
    if (folded != old_folded) {
        const auto held = state.users.find(folded);
        if (held != state.users.end() && held->second.instance != kThisInstance)
            return emit(request.room, bus::ClaimAnswer{request.token, true});
        if (!old_folded.empty()) {
            const auto mine = state.users.find(old_folded);
            if (mine != state.users.end() && mine->second.instance == kThisInstance) state.users.erase(mine);
        }
    }
    state.users[folded] = Holder{kThisInstance, request.nick};
    if (request.sync) {
        bus::SyncPoint point;
        point.token = request.token;
        point.position = bus::Position{state.epoch, state.seq};
        point.messages = historyFor(state, request, point.recovered);
        if (request.users)
            for (const auto& [key, holder] : state.users) point.users.push_back(holder.nick);
        emit(request.room, std::move(point));
    } else {
        emit(request.room, bus::ClaimAnswer{request.token, false});
    }
    if (old_folded.empty())
        emitPresence(request.room, state, "join", request.nick);
    else if (request.old_nick != request.nick)
        emitPresence(request.room, state, "nick", request.nick, request.old_nick);
}

// Like the release script: only this instance's member goes.
void FakeBus::answer(bus::ReleaseRequest& request) {
    RoomState& state = roomNamed(request.room);
    const auto held = state.users.find(protocol::foldName(request.nick));
    if (held == state.users.end() || held->second.instance != kThisInstance) return;
    const std::string nick = held->second.nick;
    state.users.erase(held);
    emitPresence(request.room, state, "leave", nick, {}, false, request.reason);
}

// Like the kick script: every instance hears it (this one too).
void FakeBus::answer(bus::KickRequest& request) {
    emit(request.room, bus::RemoteKick{request.nick, request.reason, request.by});
}

// Like RedisBus reading the log: the page of the epoch before `before`.
void FakeBus::answer(bus::HistoryRequest& request) {
    const RoomState& state = roomNamed(request.room);
    bus::HistoryAnswer answer{.token = request.token, .messages = {}, .more = false};
    for (auto it = state.log.rbegin(); it != state.log.rend(); ++it) {
        if (it->epoch != request.epoch || (request.before && it->seq >= *request.before)) continue;
        if (answer.messages.size() == request.limit) {
            answer.more = true;
            break;
        }
        answer.messages.insert(answer.messages.begin(), *it);
    }
    emit(request.room, std::move(answer));
}

// Like the resync script: this instance's members become exactly the given
// nicks, a new epoch when asked (and the room is still at the cursor's), and
// a sync point with what was logged after the cursor.
void FakeBus::answer(bus::ResyncRequest& request) {
    RoomState& state = roomNamed(request.room);
    if (request.new_epoch && request.cursor && state.epoch == request.cursor->epoch) state.epoch = newEpoch();
    std::map<std::string, std::string> wanted;
    for (const std::string& nick : request.nicks) wanted[protocol::foldName(nick)] = nick;
    for (auto it = state.users.begin(); it != state.users.end();) {
        if (it->second.instance == kThisInstance && !wanted.count(it->first)) {
            const std::string nick = it->second.nick;
            it = state.users.erase(it);
            emitPresence(request.room, state, "leave", nick, {}, true);
        } else {
            ++it;
        }
    }
    for (const auto& [folded, nick] : wanted) {
        const auto held = state.users.find(folded);
        if (held != state.users.end() && held->second.instance != kThisInstance) continue;  // a conflict
        const bool news = held == state.users.end();
        state.users[folded] = Holder{kThisInstance, nick};
        if (news) emitPresence(request.room, state, "join", nick, {}, true);
    }
    bus::SyncPoint point;
    point.token = request.token;
    point.position = bus::Position{state.epoch, state.seq};
    if (request.cursor) {
        auto first = state.log.end();
        while (first != state.log.begin()) {
            const auto& before = *std::prev(first);
            if (before.epoch == request.cursor->epoch && before.seq <= request.cursor->seq) break;
            --first;
        }
        point.messages.assign(first, state.log.end());
    }
    emit(request.room, std::move(point));
}

// ---- deliveries ----

void FakeBus::hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
}

void FakeBus::flush() {
    {
        std::lock_guard lock(mutex_);
        holding_ = false;
    }
    pump();
}

bool FakeBus::waitHeld(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return outbox_.size() >= count; });
}

std::vector<FakeBus::Event> FakeBus::held() const {
    std::lock_guard lock(mutex_);
    return {outbox_.begin(), outbox_.end()};
}

void FakeBus::releaseOne(std::size_t index) {
    std::lock_guard in_order(report_mutex_);
    Event event;
    {
        std::lock_guard lock(mutex_);
        if (index >= outbox_.size()) throw std::out_of_range("FakeBus::releaseOne: no such held event");
        event = std::move(outbox_[index]);
        outbox_.erase(outbox_.begin() + static_cast<std::ptrdiff_t>(index));
        if (stopped_ || !listener_) return;
    }
    report(std::move(event));
}

void FakeBus::reorderHeld(const std::vector<std::size_t>& order) {
    std::lock_guard lock(mutex_);
    std::vector<std::size_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
        if (sorted[i] != i || sorted.size() != outbox_.size())
            throw std::invalid_argument("FakeBus::reorderHeld: not a permutation of the held events");
    std::deque<Event> reordered;
    for (std::size_t index : order) reordered.push_back(std::move(outbox_[index]));
    outbox_.swap(reordered);
}

// ---- the link ----

void FakeBus::dropLink() { announceSharing(false); }

void FakeBus::restoreLink() { announceSharing(true); }

void FakeBus::announceSharing(bool sharing) {
    change([&] {
        link_up_ = sharing;
        if (!sharing) std::erase_if(outbox_, [](const Event& e) { return !e.sharing; });
        emit({}, {}, sharing);
    });
}

// ---- another instance, and Redis itself ----

bool FakeBus::remoteJoin(const std::string& room, const std::string& nick) {
    bool joined = false;
    change([&] {
        RoomState& state = roomNamed(room);
        const std::string folded = protocol::foldName(nick);
        if (state.users.count(folded)) return;
        state.users[folded] = Holder{kOtherInstance, nick};
        emitPresence(room, state, "join", nick);
        joined = true;
    });
    return joined;
}

void FakeBus::remoteRename(const std::string& room, const std::string& old_nick, const std::string& nick) {
    change([&] {
        RoomState& state = roomNamed(room);
        state.users.erase(protocol::foldName(old_nick));
        state.users[protocol::foldName(nick)] = Holder{kOtherInstance, nick};
        emitPresence(room, state, "nick", nick, old_nick);
    });
}

void FakeBus::remoteLeave(const std::string& room, const std::string& nick) {
    change([&] {
        RoomState& state = roomNamed(room);
        state.users.erase(protocol::foldName(nick));
        emitPresence(room, state, "leave", nick);
    });
}

bus::MessageRecord FakeBus::remotePost(const std::string& room, const std::string& from, const std::string& text) {
    bus::MessageRecord message;
    change([&] { message = append(room, from, text, std::nullopt); });
    return message;
}

void FakeBus::loseRoom(const std::string& room) {
    change([&] { rooms_.erase(room); });
}

void FakeBus::inject(const std::string& room, bus::RoomEvent event) {
    change([&] { emit(room, std::move(event)); });
}

std::optional<bus::Position> FakeBus::position(const std::string& room) const {
    std::lock_guard lock(mutex_);
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return std::nullopt;
    return bus::Position{it->second.epoch, it->second.seq};
}

// ---- what the shards asked ----

std::vector<bus::Request> FakeBus::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::optional<bus::Request> FakeBus::waitForRequest(const std::function<bool(const bus::Request&)>& match,
                                                    std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<bus::Request> found;
    changed_.wait_for(lock, timeout, [&] {
        const auto it = std::find_if(requests_.begin(), requests_.end(), match);
        if (it != requests_.end()) found = *it;
        return found.has_value();
    });
    return found;
}

// ---- internals (mutex_ held) ----

FakeBus::RoomState& FakeBus::roomNamed(const std::string& room) {
    auto [it, created] = rooms_.try_emplace(room);
    if (created) it->second.epoch = newEpoch();
    return it->second;
}

std::string FakeBus::newEpoch() { return "redis-epoch-" + std::to_string(next_epoch_++); }

// While the link is down only bounces reach this instance: the rest is lost.
void FakeBus::emit(const std::string& room, bus::RoomEvent event, std::optional<bool> sharing) {
    if (!link_up_ && !sharing && !std::holds_alternative<bus::Bounced>(event)) return;
    outbox_.push_back(Event{room, std::move(event), sharing});
    changed_.notify_all();
}

void FakeBus::emitPresence(const std::string& room, const RoomState& state, std::string event, std::string nick,
                           std::string old_nick, bool own_resync, std::string reason) {
    emit(room, bus::RemotePresence{std::move(event), std::move(nick), std::move(old_nick), state.users.size(),
                                   own_resync, std::move(reason)});
}

bus::MessageRecord FakeBus::append(const std::string& room, std::string from, std::string text,
                                   std::optional<std::string> id, std::string origin) {
    RoomState& state = roomNamed(room);
    bus::MessageRecord message{state.epoch,     ++state.seq,     util::wallClockMillis(),
                               std::move(from), std::move(text), std::move(id),
                               std::move(origin)};
    state.log.push_back(message);
    while (state.log.size() > options_.history_length) state.log.pop_front();
    emit(room, bus::RemoteMessage{message});
    return message;
}

void FakeBus::record(bus::Request request) {
    requests_.push_back(std::move(request));
    changed_.notify_all();
}

// A join's history: exactly the messages after `since` when the log still
// holds them all (recovered), else the newest `recent` ones.
std::vector<bus::MessageRecord> FakeBus::historyFor(const RoomState& state, const bus::ClaimRequest& claim,
                                                    bool& recovered) const {
    recovered = false;
    if (claim.since && claim.since->epoch == state.epoch && claim.since->seq <= state.seq) {
        const std::uint64_t missed = state.seq - claim.since->seq;
        if (missed == 0) {
            recovered = true;
            return {};
        }
        if (missed <= options_.history_length && state.log.size() >= missed &&
            state.log[state.log.size() - missed].seq == claim.since->seq + 1) {
            recovered = true;
            return {state.log.end() - static_cast<std::ptrdiff_t>(missed), state.log.end()};
        }
    }
    const std::size_t count = std::min(claim.recent, state.log.size());
    return {state.log.end() - static_cast<std::ptrdiff_t>(count), state.log.end()};
}

// ---- reporting ----

void FakeBus::change(const std::function<void()>& apply) {
    {
        std::lock_guard lock(mutex_);
        apply();
    }
    pump();
}

void FakeBus::pump() {
    std::lock_guard in_order(report_mutex_);
    for (;;) {
        Event event;
        {
            std::lock_guard lock(mutex_);
            if (holding_ || stopped_ || !listener_ || outbox_.empty()) return;
            event = std::move(outbox_.front());
            outbox_.pop_front();
        }
        report(std::move(event));
    }
}

void FakeBus::report(Event event) {
    if (event.sharing)
        listener_->onSharingChanged(*event.sharing);
    else
        listener_->onRoomEvent(event.room, std::move(event.event));
}

}  // namespace chatd::testing
