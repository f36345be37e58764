// ClientLog: the log lines a chat client can cause again and again (frames
// ignored, messages a plugin dropped or rejected, errors a raw client has no
// channel for), each kind through its own util::LogThrottle: at most one line
// a second for everyone together, the next one saying how many were left out.
// Shared by every IO loop and hub shard (the throttles are thread-safe); the
// counts are in HubMetrics.
#pragma once

#include "util/log_throttle.h"

namespace chatd::chat {

struct ClientLog {
    util::LogThrottle ignored_raw;        // raw frames dropped: not UTF-8, empty or over chat.max_text_bytes
    util::LogThrottle plugin_drops;       // messages a plugin dropped (debug)
    util::LogThrottle plugin_rejections;  // messages a plugin rejected
    util::LogThrottle plugin_output;      // plugin output that is no valid text (message dropped)
    util::LogThrottle raw_errors;         // errors for raw clients, which are logged instead of sent
    util::LogThrottle posts_refused;      // plugins' and the operator's posts that could not go out
};

}  // namespace chatd::chat
