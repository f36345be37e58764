// Recorder: a bus Listener for the bus tests that keeps what the bus
// reports and waits (bounded) for it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bus/bus.h"

namespace chatd::bus::test {

using namespace std::chrono_literals;

// Records what a bus reports; waits are bounded.
class Recorder final : public Listener {
public:
    void onRoomEvent(const std::string& room, RoomEvent event) override {
        std::lock_guard lock(mutex_);
        events_.emplace_back(room, std::move(event));
        changed_.notify_all();
    }
    void onSharingChanged(bool sharing) override {
        std::lock_guard lock(mutex_);
        sharing_ = sharing;
        changed_.notify_all();
    }

    void onRemoteDisconnect(const std::string& nick, const std::string& reason) override {
        std::lock_guard lock(mutex_);
        disconnects_.emplace_back(nick, reason);
        changed_.notify_all();
    }
    void onPluginBroadcast(const std::string& instance, PluginBroadcast broadcast) override {
        std::lock_guard lock(mutex_);
        broadcasts_.emplace_back(instance, std::move(broadcast));
        changed_.notify_all();
    }
    // Waits until `count` disconnects / broadcasts came, and returns all so far.
    std::vector<std::pair<std::string, std::string>> disconnects(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 10s, [&] { return disconnects_.size() >= count; });
        return disconnects_;
    }
    std::vector<std::pair<std::string, PluginBroadcast>> broadcasts(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 10s, [&] { return broadcasts_.size() >= count; });
        return broadcasts_;
    }

    bool waitSharing(bool sharing, std::chrono::milliseconds timeout = 15s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return sharing_ == sharing; });
    }

    // The first event of type T (matching `match`) not taken yet.
    template <typename T>
    T take(const std::function<bool(const T&)>& match = {}, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        std::optional<T> found;
        changed_.wait_for(lock, timeout, [&] {
            for (auto it = events_.begin(); it != events_.end(); ++it) {
                if (auto* event = std::get_if<T>(&it->second); event && (!match || match(*event))) {
                    found = std::move(*event);
                    events_.erase(it);
                    return true;
                }
            }
            return false;
        });
        if (!found) throw std::runtime_error("expected event did not come");
        return std::move(*found);
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::pair<std::string, RoomEvent>> events_;
    std::optional<bool> sharing_;
    std::vector<std::pair<std::string, std::string>> disconnects_;
    std::vector<std::pair<std::string, PluginBroadcast>> broadcasts_;
};

}  // namespace chatd::bus::test
