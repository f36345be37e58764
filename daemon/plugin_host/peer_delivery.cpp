// The pipeline's delivery thread for payloads from other instances (see peer_delivery.h).
#include "plugin_host/peer_delivery.h"

#include <condition_variable>
#include <deque>
#include <mutex>

#include <spdlog/spdlog.h>

#include "plugin_host/plugin_instance.h"
#include "util/thread_join.h"
#include "util/thread_setup.h"

namespace chatd::plugin_host {

struct PeerDelivery::State {
    struct Item {
        PluginInstance* instance;
        std::string from;
        std::string payload;
    };
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::deque<Item> queue;
};

PeerDelivery::PeerDelivery() : state_(std::make_shared<State>()) {
    thread_ = std::thread([state = state_] { run(state); });
}

PeerDelivery::~PeerDelivery() { stop(); }

bool PeerDelivery::enqueue(PluginInstance* instance, std::string from_instance, std::string payload) {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->stopping || state_->queue.size() >= kPeerQueueLimit) return false;
        state_->queue.push_back({instance, std::move(from_instance), std::move(payload)});
    }
    state_->wake.notify_one();
    return true;
}

void PeerDelivery::stop() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
        state_->queue.clear();
    }
    state_->wake.notify_all();
    util::joinUnlessSelf(thread_);
}

// Waits for a payload (or stop) and delivers it with the queue unlocked.
void PeerDelivery::run(const std::shared_ptr<State>& state) {
    util::nameThisThread("chatd-peers");
    std::unique_lock lock(state->mutex);
    while (true) {
        state->wake.wait(lock, [&] { return state->stopping || !state->queue.empty(); });
        if (state->stopping) break;
        State::Item item = std::move(state->queue.front());
        state->queue.pop_front();
        lock.unlock();
        try {
            item.instance->onPeerMessage(item.from, item.payload);
        } catch (...) {  // nothing may end the delivery thread
            spdlog::error("delivering a peer message to a plugin failed unexpectedly");
        }
        lock.lock();
    }
}

}  // namespace chatd::plugin_host
