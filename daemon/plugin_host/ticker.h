// A timer thread of a pipeline: calls on_tick of its instances when due (the
// pipeline gives each ticking instance a Ticker of its own, so a long tick
// delays only that instance, as plugin_abi.h promises). A tick still running
// when the next one is due makes that one skipped (counted), never queued.
// Started after a successful build; stopped (joined) before the instances
// shut down.
#pragma once

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace chatd::plugin_host {

class PluginInstance;

class Ticker {
public:
    struct Entry {
        PluginInstance* instance;
        std::chrono::milliseconds every;
    };

    // Starts the thread; the instances must outlive stop().
    explicit Ticker(std::vector<Entry> entries);
    // stop().
    ~Ticker();
    Ticker(const Ticker&) = delete;
    Ticker& operator=(const Ticker&) = delete;

    // Wakes the thread, waits for a running tick to end and joins it. Called
    // from the timer thread itself (the pipeline released from inside a
    // tick), it detaches instead: a thread never joins itself.
    void stop();

private:
    struct State;
    static void run(const std::shared_ptr<State>& state);

    std::shared_ptr<State> state_;  // shared with the thread (survives a detach)
    std::thread thread_;
};

}  // namespace chatd::plugin_host
