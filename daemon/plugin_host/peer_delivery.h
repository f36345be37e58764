// The delivery thread of a pipeline: hands the payloads other chatd
// instances broadcast (the bus thread enqueues them) to on_peer_message of
// the named plugin instance, one at a time and in arrival order, under the
// instance's lock, off the bus thread (a slow plugin never holds up the
// bus). The queue is bounded: beyond kPeerQueueLimit payloads a new one is
// dropped and counted as a failed hook of its instance. Started by the
// pipeline when some instance has the hook; stopped (joined) before the
// instances shut down, dropping what is still queued.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <thread>

namespace chatd::plugin_host {

class PluginInstance;

inline constexpr std::size_t kPeerQueueLimit = 1024;

class PeerDelivery {
public:
    PeerDelivery();
    // stop().
    ~PeerDelivery();
    PeerDelivery(const PeerDelivery&) = delete;
    PeerDelivery& operator=(const PeerDelivery&) = delete;

    // Queues one payload for `instance` (which must outlive stop()); false
    // (nothing queued) when the queue is full or stopping. Any thread.
    bool enqueue(PluginInstance* instance, std::string from_instance, std::string payload);

    // Wakes the thread, lets a running delivery end and joins it (detaches
    // when called from the thread itself, as Ticker::stop does).
    void stop();

private:
    struct State;
    static void run(const std::shared_ptr<State>& state);

    std::shared_ptr<State> state_;
    std::thread thread_;
};

}  // namespace chatd::plugin_host
