#include "bigroom_report.h"

#include <algorithm>

namespace chatd::bench {

namespace {
constexpr double kSaturatedLoad = 0.9;  // a generator thread above this may be the bottleneck

double ms(std::int64_t ns) { return double(ns) / 1e6; }
double orNan(const std::optional<double>& value) { return value ? *value : NAN; }

// p50, p99 (and p90, p99.9 when `full`) and max of `histogram`, as PREFIX_p50_ms ...
void latencies(Report& report, const std::string& prefix, const std::string& label, const Histogram& histogram,
               bool full) {
    const bool any = histogram.count() > 0;
    const auto at = [&](double q) { return any ? ms(histogram.percentile(q)) : NAN; };
    report.number(prefix + "_p50_ms", at(0.50), label + " p50", "ms", 3);
    if (full) report.number(prefix + "_p90_ms", at(0.90), label + " p90", "ms", 3);
    report.number(prefix + "_p99_ms", at(0.99), label + " p99", "ms", 3);
    if (full) report.number(prefix + "_p999_ms", at(0.999), label + " p99.9", "ms", 3);
    report.number(prefix + "_max_ms", any ? ms(histogram.max()) : NAN, label + " max", "ms", 3);
}

void fillSection(Report& report, const BigroomResults& r) {
    report.number("fill_clients", double(r.fill_clients), "fill: connections (all join)");
    report.number("fill_joined", double(r.fill_joined), "fill: joins answered (welcome)");
    report.number("fill_s", r.fill_s, "fill: start -> every join answered", "s", 2);
    latencies(report, "join", "fill: join -> welcome", r.join_latency, false);
    report.number("fill_closed", double(r.fill_closed), "fill: closed by the server");
    report.number("fill_failed", double(r.fill_failed), "fill: connections that failed");
    report.number("fill_server_rss_kb", orNan(r.fill_rss_kb), "fill: server RSS at the end", "KiB");
    report.number("fill_server_cpu_s", orNan(r.fill_cpu_s), "fill: server CPU", "s", 2);
    report.number("presence_frames", double(r.presence_frames), "fill: presence frames received");
    report.number("presence_per_client", r.fill_clients ? double(r.presence_frames) / double(r.fill_clients) : NAN,
                  "fill: presence frames per client", "", 1);
}

void chatSection(Report& report, const BigroomResults& r) {
    report.number("duration_s", r.chat_s, "chat: measured (quiet)", "s", 2);
    report.number("sent", double(r.sent), "chat: messages sent");
    report.number("deliveries", double(r.delivered), "chat: deliveries to members");
    report.number("expected", double(r.expected), "chat: expected (sent x members)");
    report.number("completeness", r.expected ? double(r.delivered) / double(r.expected) : NAN, "chat: completeness", "",
                  6);
    report.number("deliveries_per_s", r.deliveries_per_s, "chat: deliveries/s", "", 0);
    latencies(report, "latency", "chat: delivery latency", r.latency, true);
    report.number("complete_messages", double(r.complete_messages), "chat: messages every member got");
    report.number("incomplete_messages", double(r.sent - std::min(r.sent, r.complete_messages)),
                  "chat: messages some member missed");
    report.number("lost_members", double(r.lost_members), "chat: members closed by the server");
    const double cpu = orNan(r.chat_cpu_s);
    report.number("server_cpu_percent", r.chat_s > 0 ? 100 * cpu / r.chat_s : NAN, "chat: server CPU", "%", 1);
    report.number("server_peak_rss_kb", orNan(r.quiet_peak_rss_kb), "chat: server peak RSS", "KiB");
    report.number("server_rss_kb", orNan(r.end_rss_kb), "server RSS at the end", "KiB");
}

void churnSection(Report& report, const Options& options, const BigroomResults& r) {
    const double seconds = r.chat_s + r.flood_s;
    report.number("churn_leaves", double(r.churn_leaves), "churn: leaves");
    report.number("churn_joins", double(r.churn_joins), "churn: joins answered");
    report.number("churn_per_s", seconds > 0 ? double(r.churn_leaves) / seconds : NAN, "churn: leave+join cycles/s", "",
                  1);
    report.number("churn_target_per_s", options.churn_rate, "churn: asked for", "/s", 1);
    report.number("churn_skipped", double(r.churn_skipped), "churn: turns skipped (not back yet)");
    latencies(report, "rejoin", "churn: join -> welcome", r.rejoin_latency, false);
}

void floodSection(Report& report, const BigroomResults& r) {
    report.number("flood_s", r.flood_s, "flood: measured", "s", 2);
    report.number("flood_sent", double(r.flood_sent), "flood: messages written by flooders");
    report.number("flood_delivered", double(r.flood_delivered), "flood: copies flooders received");
    report.number("flood_delivered_per_s", r.flood_s > 0 ? double(r.flood_delivered) / r.flood_s : NAN,
                  "flood: copies received/s", "", 0);
    latencies(report, "flood_latency", "flood: members' delivery latency", r.flood_latency, true);
    const bool both = r.latency.count() && r.flood_latency.count();
    const double quiet = both ? ms(r.latency.percentile(0.99)) : NAN;
    report.number("flood_p99_ratio", both && quiet > 0 ? ms(r.flood_latency.percentile(0.99)) / quiet : NAN,
                  "flood: members' p99, flood / quiet", "x", 2);
    latencies(report, "flooder_latency", "flood: the flood's own latency", r.flooder_latency, false);
    report.number("flood_server_peak_rss_kb", orNan(r.flood_peak_rss_kb), "flood: server peak RSS", "KiB");
    report.number("flood_server_cpu_percent", r.flood_s > 0 ? 100 * orNan(r.flood_cpu_s) / r.flood_s : NAN,
                  "flood: server CPU", "%", 1);
}
}  // namespace

Report bigroomReport(const Options& options, const BigroomResults& r) {
    Report report;
    report.text("mode", "bigroom", "mode");
    report.text("protocol", protocolName(options.protocol), "protocol");
    report.text("room", options.room, "room");
    report.number("clients", options.clients, "members");
    report.number("senders", options.senders, "senders among them");
    report.number("rate", options.rate, "rate per sender", "msg/s", 2);
    report.number("size", options.size, "payload", "bytes");
    report.number("churners", options.churners, "churners");
    report.number("flooders", options.flooders, "flooders");
    fillSection(report, r);
    if (r.chatted) {
        chatSection(report, r);
        if (options.churners) churnSection(report, options, r);
        if (options.flooders) floodSection(report, r);
    }
    report.number("errors", double(r.errors), "error frames received");
    std::uint64_t lost = 0;
    for (const auto& entry : r.losses) lost += entry.second;
    report.number("lost_connections", double(lost), "connections closed by the server");
    report.counts("losses", r.losses, "closed by cause");
    report.counts("failures", r.failures, "failed by cause");
    report.number("generator_cpu_percent", 100 * r.generator_load, "busiest generator thread", "%", 1);

    if (r.fill_joined < r.fill_clients)
        report.warn(std::to_string(r.fill_clients - r.fill_joined) + " of " + std::to_string(r.fill_clients) +
                    " joins were not answered within --setup-timeout");
    if (!r.chatted) report.warn("no chat measured: " + r.skipped_why);
    if (r.generator_load > kSaturatedLoad)
        report.warn("a generator thread used " + std::to_string(static_cast<int>(100 * r.generator_load)) +
                    "% of its core while sending: the figures may show the generator's limit");
    return report;
}

}  // namespace chatd::bench
