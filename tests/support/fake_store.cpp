#include "fake_store.h"

#include <algorithm>

namespace chatd::testing {

std::string FakeStore::keep(const chat::StoredMessage& message) {
    if (failures_ > 0) {
        --failures_;
        return "database or disk is full";
    }
    Kept& room = rooms_[message.room];
    if (room.epoch != message.epoch) room = Kept{message.epoch, {}};
    const std::uint64_t last = room.messages.empty() ? 0 : room.messages.rbegin()->first;
    if (message.seq != last + 1) return "out of sequence";
    room.messages[message.seq] = message.json;
    return {};
}

void FakeStore::append(chat::StoredMessage message, Done done) {
    std::string error;
    {
        std::lock_guard lock(mutex_);
        if (holding_) {
            waiting_.push_back(Waiting{std::move(message), std::move(done)});
            changed_.notify_all();
            return;
        }
        error = keep(message);
    }
    done(error.empty(), error);
}

void FakeStore::recordEpoch(const std::string& room, const std::string& epoch) {
    std::lock_guard lock(mutex_);
    rooms_[room] = Kept{epoch, {}};
}

void FakeStore::hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
}

void FakeStore::release() {
    std::deque<std::pair<Done, std::string>> answers;
    {
        std::lock_guard lock(mutex_);
        holding_ = false;
        for (Waiting& waiting : waiting_) answers.emplace_back(std::move(waiting.done), keep(waiting.message));
        waiting_.clear();
    }
    // The answers held come back as one batch, as the real store's do.
    const auto callbacks = [&] {
        for (auto& [done, error] : answers) done(error.empty(), error);
    };
    if (runner_)
        runner_(callbacks);
    else
        callbacks();
}

bool FakeStore::waitHeld(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return waiting_.size() >= count; });
}

void FakeStore::failNext(std::size_t count) {
    std::lock_guard lock(mutex_);
    failures_ = count;
}

void FakeStore::preload(const std::string& room, const std::string& epoch, const std::vector<std::string>& messages) {
    std::lock_guard lock(mutex_);
    Kept& kept = rooms_[room] = Kept{epoch, {}};
    for (std::size_t i = 0; i < messages.size(); ++i) kept.messages[i + 1] = messages[i];
}

std::vector<std::uint64_t> FakeStore::keptSeqs(const std::string& room) const {
    std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> seqs;
    if (const auto it = rooms_.find(room); it != rooms_.end())
        for (const auto& [seq, json] : it->second.messages) seqs.push_back(seq);
    return seqs;
}

std::optional<chat::StoredRoom> FakeStore::loadRoom(const std::string& room, std::size_t recent) {
    std::lock_guard lock(mutex_);
    const auto it = rooms_.find(room);
    if (it == rooms_.end()) return std::nullopt;
    chat::StoredRoom stored{it->second.epoch, 0, {}};
    if (!it->second.messages.empty()) stored.seq = it->second.messages.rbegin()->first;
    for (auto kept = it->second.messages.rbegin(); kept != it->second.messages.rend() && stored.recent.size() < recent;
         ++kept)
        stored.recent.insert(stored.recent.begin(), kept->second);
    return stored;
}

chat::StoredPage FakeStore::page(const std::string& room, const std::string& epoch, std::uint64_t before,
                                 std::size_t limit) {
    std::lock_guard lock(mutex_);
    chat::StoredPage page;
    const auto it = rooms_.find(room);
    if (it == rooms_.end() || it->second.epoch != epoch) return page;
    const auto& messages = it->second.messages;
    for (auto kept = std::make_reverse_iterator(messages.lower_bound(before)); kept != messages.rend(); ++kept) {
        if (page.messages.size() == limit) {
            page.more = true;
            break;
        }
        page.messages.insert(page.messages.begin(), kept->second);
    }
    return page;
}

}  // namespace chatd::testing
