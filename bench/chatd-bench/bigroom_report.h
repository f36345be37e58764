// BigroomResults: what one bigroom run measured, phase by phase, and the
// report made of it (a pure function, unit-tested in tests/bench).
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "histogram.h"
#include "options.h"
#include "report.h"

namespace chatd::bench {

struct BigroomResults {
    // Fill: every connection opened and joined (members, churners, flooders).
    std::uint64_t fill_clients = 0;
    std::uint64_t fill_joined = 0;     // welcomes received
    std::uint64_t fill_closed = 0;     // connections the server closed meanwhile
    std::uint64_t fill_failed = 0;     // connections that did not open
    double fill_s = NAN;               // start -> the last welcome; NaN unless every join was answered
    Histogram join_latency;            // join sent -> welcome, per client
    std::uint64_t presence_frames = 0;  // presence frames received during the fill, all clients
    std::optional<double> fill_rss_kb, fill_cpu_s;  // the server at the end of the fill

    // Chat: the members' senders, after a warm-up broadcast reached every member.
    bool chatted = false;   // false: the fill or the warm-up did not complete
    std::string skipped_why;
    double chat_s = 0;      // the quiet phase's length (the whole chat without flooders)
    std::uint64_t sent = 0, delivered = 0, expected = 0, complete_messages = 0;
    double deliveries_per_s = 0;
    Histogram latency;      // members' deliveries of messages meant before any flood
    std::uint64_t lost_members = 0;
    std::optional<double> chat_cpu_s, end_rss_kb, quiet_peak_rss_kb;

    // Churn (--churners).
    std::uint64_t churn_leaves = 0, churn_joins = 0, churn_skipped = 0;
    Histogram rejoin_latency;

    // Flood (--flooders): the second phase.
    double flood_s = 0;
    std::uint64_t flood_sent = 0, flood_delivered = 0;
    Histogram flood_latency;    // members' deliveries of messages meant during the flood
    Histogram flooder_latency;  // the flood's own messages, to the flooders
    std::optional<double> flood_peak_rss_kb, flood_cpu_s;

    std::uint64_t errors = 0;  // error frames, all clients, whole run
    std::map<std::string, std::uint64_t> losses, failures;
    double generator_load = 0;  // busiest generator thread while sending, 0..1
};

Report bigroomReport(const Options& options, const BigroomResults& results);

}  // namespace chatd::bench
