// MemoryBus: the default bus. Rooms live in this process only: the hub shard
// owning a room numbers its messages, keeps its history and delivers them
// (chat/local_ordering.cpp). Nothing is shared, so nothing here has work to do.
#pragma once

#include "bus/bus.h"

namespace chatd::bus {

class MemoryBus final : public Bus {
public:
    bool shared() const override { return false; }
    void start(Listener&) override {}
    bool waitUntilSharing(std::chrono::milliseconds) override { return false; }
    void stop(std::chrono::milliseconds) override {}

    // Never called: a shard only sends requests to a shared bus.
    void publish(PublishRequest) override {}
    void claim(ClaimRequest) override {}
    void release(ReleaseRequest) override {}
    void kick(KickRequest) override {}
    void resync(ResyncRequest) override {}
    void history(HistoryRequest) override {}

    std::string_view state() const override { return "memory"; }
};

}  // namespace chatd::bus
