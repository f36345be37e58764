#include "chat/join_tracker.h"

#include <algorithm>
#include <utility>

namespace chatd::chat {

std::uint64_t JoinTracker::sent(const std::string& room) {
    pending_[++last_] = room;
    return last_;
}

const std::string& JoinTracker::target() const {
    const auto it = pending_.find(last_);
    return it == pending_.end() ? current_ : it->second;
}

bool JoinTracker::namedByPending(const std::string& room) const {
    return std::any_of(pending_.begin(), pending_.end(), [&](const auto& entry) { return entry.second == room; });
}

void JoinTracker::release(std::vector<std::string>& out) {
    for (auto it = extra_.begin(); it != extra_.end();) {
        // A room an unanswered join names stays: that join's answer would
        // otherwise find the leave already executed after it on the shard.
        if (*it == current_ || namedByPending(*it)) {
            ++it;
            continue;
        }
        out.push_back(*it);
        it = extra_.erase(it);
    }
}

// The last join sent wins; an earlier one that succeeded only leaves the
// session holding a room it must give back (unless a later join names it).
JoinTracker::Outcome JoinTracker::joined(const std::string& room, std::uint64_t serial) {
    Outcome outcome;
    pending_.erase(serial);
    if (serial == last_) {
        outcome.won = true;
        if (room != current_) {
            outcome.entered = true;
            if (!current_.empty()) extra_.insert(current_);
            outcome.left = std::exchange(current_, room);
            extra_.erase(room);
        }
    } else if (room != current_) {
        extra_.insert(room);
    }
    release(outcome.leave);
    return outcome;
}

std::vector<std::string> JoinTracker::failed(std::uint64_t serial) {
    std::vector<std::string> leave;
    pending_.erase(serial);
    release(leave);
    return leave;
}

bool JoinTracker::kicked(const std::string& room) {
    extra_.erase(room);
    if (room.empty() || current_ != room) return false;
    current_.clear();
    return true;
}

std::vector<std::string> JoinTracker::closing() {
    std::vector<std::string> rooms(extra_.begin(), extra_.end());
    if (!current_.empty()) rooms.push_back(current_);
    extra_.clear();
    pending_.clear();
    current_.clear();
    return rooms;
}

}  // namespace chatd::chat
