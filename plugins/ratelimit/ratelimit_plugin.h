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
    sdk::Verdict onMessage(sdk::Message& msg) override;
    void onLeave(const sdk::SessionEvent& event) override;

    std::size_t sessions() const { return buckets_ ? buckets_->sessions() : 0; }

protected:
    // The clock; tests override it.
    virtual TokenBuckets::Clock::time_point now() const { return TokenBuckets::Clock::now(); }

private:
    std::optional<TokenBuckets> buckets_;
    std::string reason_;
};

}  // namespace chatd::plugins::ratelimit
