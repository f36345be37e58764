// SharedCore: a ChatCore whose bus is a FakeBus the test scripts (rooms are
// shared "through Redis" from the start), and ways to look at what the
// shards asked of the bus.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "chat_core.h"
#include "fake_bus.h"

namespace chatd::testing {

class SharedCore {
public:
    explicit SharedCore(ChatCore::Options options = {}, FakeBus::Options bus_options = {})
        : SharedCore(std::move(options), std::make_unique<FakeBus>(bus_options)) {}

    FakeBus& bus() { return *bus_; }
    ChatCore& core() { return core_; }

private:
    SharedCore(ChatCore::Options options, std::unique_ptr<FakeBus> bus)
        : bus_(bus.get()), core_(with(std::move(options), std::move(bus))) {}
    static ChatCore::Options with(ChatCore::Options options, std::unique_ptr<FakeBus> bus) {
        options.bus = std::move(bus);
        return options;
    }

    FakeBus* bus_;
    ChatCore core_;
};

// Every request of type R made so far, in order.
template <class R>
std::vector<R> requestsOf(const FakeBus& bus) {
    std::vector<R> out;
    for (const bus::Request& request : bus.requests())
        if (const R* r = std::get_if<R>(&request)) out.push_back(*r);
    return out;
}

// Waits for a request of type R for which `match` holds.
template <class R, class Match>
std::optional<R> waitForRequestOf(FakeBus& bus, Match match) {
    auto found = bus.waitForRequest([&](const bus::Request& request) {
        const R* r = std::get_if<R>(&request);
        return r && match(*r);
    });
    if (!found) return std::nullopt;
    return std::get<R>(*found);
}

}  // namespace chatd::testing
