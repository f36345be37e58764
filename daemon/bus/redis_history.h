// One page of a shared room's older messages, read from the room's log (a
// Redis stream of at most redis.history_length entries, each with the
// fields s (seq), e (epoch) and m (the message record)).
#pragma once

#include <cstdint>

#include "bus/bus.h"

struct redisReply;

namespace chatd::bus {

// From an XREVRANGE reply (newest first): up to request.limit messages of
// request.epoch with seq < request.before, oldest first, none older than
// `oldest_ms` (stream ids are milliseconds; 0: no age limit). Entries that
// do not parse are skipped.
HistoryAnswer historyPage(const redisReply& entries, const HistoryRequest& request, std::int64_t oldest_ms);

}  // namespace chatd::bus
