// The pipeline's timer thread (see ticker.h).
#include "plugin_host/ticker.h"

#include <condition_variable>
#include <mutex>

#include <spdlog/spdlog.h>

#include "plugin_host/plugin_instance.h"
#include "util/thread_join.h"
#include "util/thread_setup.h"

namespace chatd::plugin_host {

using Clock = std::chrono::steady_clock;

struct Ticker::State {
    struct Due {
        Entry entry;
        Clock::time_point next;
    };
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::vector<Due> due;
};

Ticker::Ticker(std::vector<Entry> entries) : state_(std::make_shared<State>()) {
    const auto now = Clock::now();
    for (const Entry& entry : entries) state_->due.push_back({entry, now + entry.every});
    thread_ = std::thread([state = state_] { run(state); });
}

Ticker::~Ticker() { stop(); }

void Ticker::stop() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->wake.notify_all();
    util::joinUnlessSelf(thread_);
}

// Sleeps until the earliest due tick (or stop), runs every due tick, and
// moves each one interval on; ticks missed meanwhile are counted as skipped.
void Ticker::run(const std::shared_ptr<State>& state) {
    util::nameThisThread("chatd-ticker");
    std::unique_lock lock(state->mutex);
    while (!state->stopping) {
        Clock::time_point earliest = Clock::time_point::max();
        for (const auto& d : state->due) earliest = std::min(earliest, d.next);
        state->wake.wait_until(lock, earliest, [&] { return state->stopping || Clock::now() >= earliest; });
        if (state->stopping) break;
        for (auto& d : state->due) {
            if (Clock::now() < d.next) continue;
            lock.unlock();
            try {
                d.entry.instance->onTick();
            } catch (...) {  // nothing may end the timer thread
                spdlog::error("plugin tick failed unexpectedly");
            }
            lock.lock();
            if (state->stopping) break;
            const auto now = Clock::now();
            d.next += d.entry.every;
            if (d.next <= now) {
                const auto missed = (now - d.next) / d.entry.every + 1;
                d.entry.instance->ticksSkipped(static_cast<std::uint64_t>(missed));
                d.next += missed * d.entry.every;
            }
        }
    }
}

}  // namespace chatd::plugin_host
