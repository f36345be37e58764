// The moderation plugin with a clock the tests move (g_now_ms only goes
// forward, so the tests of one binary may share it).
#pragma once

#include <atomic>
#include <cstdint>

#include "moderation_plugin.h"

namespace chatd::plugins::moderation::testing {

inline std::atomic<std::int64_t> g_now_ms{1'800'000'000'000};

class TimedModeration : public ModerationPlugin {
protected:
    std::int64_t nowMs() const override { return g_now_ms.load(); }
};

}  // namespace chatd::plugins::moderation::testing
