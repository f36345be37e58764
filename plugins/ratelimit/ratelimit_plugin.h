// The ratelimit plugin's class (see ratelimit_plugin.cpp for how to build
// and enable it, README.md for its configuration).
#pragma once

#include <optional>
#include <string>

#include <chatd/plugin.hpp>

#include "token_buckets.h"

namespace chatd::plugins::ratelimit {

class RateLimitPlugin : public sdk::Plugin {
public:
    void init(const YAML::Node& config) override;
    // Like init, then carries every session's bucket over from `previous`.
    void reload(const YAML::Node& config, sdk::Plugin& previous) override;
    // No onLeave: a bucket belongs to the session, not to the room it is in
    // (leaving a room and coming back must not refill it). Buckets of closed
    // sessions go with the sweep once they have refilled.
    sdk::Verdict onMessage(sdk::Message& msg) override;

    std::size_t sessions() const { return buckets_ ? buckets_->sessions() : 0; }

protected:
    // The clock; tests override it.
    virtual TokenBuckets::Clock::time_point now() const { return TokenBuckets::Clock::now(); }

private:
    std::optional<TokenBuckets> buckets_;
    std::string reason_;
};

}  // namespace chatd::plugins::ratelimit
