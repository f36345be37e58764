// ratelimit: a token bucket per session (kept while the session moves between
// rooms); a message without a token is rejected with the error code
// "rate_limited". Configuration: README.md.
//
// Build: part of chatd's build (`ninja -C build ratelimit` -> build/plugins/ratelimit.so).
// Enable it in /etc/chatd.yaml, then reload (systemctl reload chatd):
//
//     plugins:
//       - name: ratelimit
//         config:
//           rate: 2      # messages per second, on average
//           burst: 10    # messages at once
#include "ratelimit_plugin.h"

#include <stdexcept>

#include <chatd/config.hpp>

namespace chatd::plugins::ratelimit {

namespace cfg = sdk::config;

void RateLimitPlugin::init(const YAML::Node& config) {
    cfg::checkKeys(config, {"rate", "burst", "reason"});
    const double rate = cfg::get<double>(config, "rate", 2.0);
    const long long burst = cfg::get<long long>(config, "burst", 10);
    if (!(rate >= 1e-6 && rate <= 1e9))
        throw std::runtime_error("key 'rate': must be a number from 0.000001 to 1000000000");
    if (burst < 1 || burst > 1'000'000) throw std::runtime_error("key 'burst': must be an integer from 1 to 1000000");
    reason_ = cfg::get<std::string>(config, "reason", "too many messages, slow down");
    buckets_.emplace(rate, static_cast<std::int64_t>(burst));
}

void RateLimitPlugin::reload(const YAML::Node& config, sdk::Plugin& previous) {
    init(config);
    const auto& before = static_cast<const RateLimitPlugin&>(previous);
    if (before.buckets_) buckets_->copyFrom(*before.buckets_);
}

sdk::Verdict RateLimitPlugin::onMessage(sdk::Message& msg) {
    if (buckets_->take(msg.sessionId(), now())) return sdk::Verdict::pass();
    return sdk::Verdict::rateLimited(reason_);
}

}  // namespace chatd::plugins::ratelimit

CHATD_PLUGIN(chatd::plugins::ratelimit::RateLimitPlugin, "ratelimit");
