// bigroom: a chatd.v1 room filled to N members (plus churners and flooders,
// who join too), then S members chat at R msg/s for --duration; churners
// leave and come back meanwhile; with flooders a second phase of the same
// length runs with the flood. The server's RSS is sampled throughout.
#include <algorithm>
#include <cmath>

#include "bigroom_report.h"
#include "load_run.h"
#include "modes.h"
#include "proc_stats.h"
#include "progress.h"

namespace chatd::bench {

namespace {
using Clock = std::chrono::steady_clock;

Clock::time_point after(double seconds) {
    return Clock::now() + std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// The server, read from /proc when --server-pid was given.
struct Server {
    std::optional<pid_t> pid;
    std::optional<ProcessSample> sample() const { return pid ? sampleProcess(*pid) : std::nullopt; }
    // Keeps the highest RSS seen in `peak_kb`.
    void notePeak(std::optional<double>& peak_kb) const {
        if (const auto now = sample()) peak_kb = std::max(peak_kb.value_or(0), double(now->rss_bytes) / 1024);
    }
};

std::optional<double> cpuBetween(const std::optional<ProcessSample>& from, const std::optional<ProcessSample>& to) {
    if (!from || !to) return std::nullopt;
    return to->cpu_s - from->cpu_s;
}

// Runs one sending phase of `seconds`, sampling the server's peak RSS.
void sendFor(LoadRun& run, const Server& server, double seconds, std::optional<double>& peak_kb, Progress& progress,
             const std::string& name) {
    const auto start = Clock::now();
    run.waitUntil(
        [&](const Totals&) {
            server.notePeak(peak_kb);
            return false;
        },
        after(seconds), [&](const Totals& t) {
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            progress.show("bigroom: " + name + " " + std::to_string(static_cast<int>(elapsed)) + "/" +
                          std::to_string(static_cast<int>(seconds)) + " s, sent " + compact(double(t.sent)) +
                          ", delivered " + compact(double(t.delivered)) + ", churn " + compact(double(t.churn_leaves)) +
                          ", flood " + compact(double(t.flood_delivered)) + ", open " + std::to_string(t.open));
        });
}
}  // namespace

Report runBigroom(const Options& options) {
    Progress progress(options.progress);
    const Server server{options.server_pid};
    const std::uint64_t total = totalClients(options), members = options.clients;
    BigroomResults r;
    r.fill_clients = total;
    LoadRun run(options);

    // Fill: every connection opens and joins; the clock runs from the first connect.
    const auto before = server.sample();
    const std::int64_t started_ns = monotonicNs();
    run.start();
    // Done when every client was answered, failed to connect, or was closed before its welcome.
    run.waitUntil(
        [total](const Totals& t) { return t.joined + t.failed + t.lost_unwelcomed >= total; },
        after(options.setup_timeout_s), [&](const Totals& t) {
            progress.show("bigroom: filling, connected " + std::to_string(t.connected) + ", joined " +
                          std::to_string(t.joined) + "/" + std::to_string(total) + ", closed " + std::to_string(t.lost));
        });
    Totals t = run.totals();
    const auto filled = server.sample();
    r.fill_joined = t.joined;
    r.fill_closed = t.lost;
    r.fill_failed = t.failed;
    r.presence_frames = t.presence;
    if (t.joined >= total) r.fill_s = double(t.last_welcome_ns - started_ns) / 1e9;
    if (filled) r.fill_rss_kb = double(filled->rss_bytes) / 1024;
    r.fill_cpu_s = cpuBetween(before, filled);

    if (t.joined < total || t.lost > 0 || t.failed > 0) {
        r.skipped_why = "the fill did not complete (joined " + std::to_string(t.joined) + " of " +
                        std::to_string(total) + ", closed " + std::to_string(t.lost) + ", failed " +
                        std::to_string(t.failed) + ")";
    } else {
        run.setPhase(Phase::Warmup);
        const bool warm = run.waitUntil([members](const Totals& now) { return now.warm >= members || now.lost > 0; },
                                        after(options.setup_timeout_s), [&](const Totals& now) {
                                            progress.show("bigroom: warm-up reached " + std::to_string(now.warm) +
                                                          "/" + std::to_string(members));
                                        });
        if (!warm || run.totals().lost > 0)
            r.skipped_why = "the warm-up broadcast did not reach every member";
        else
            r.chatted = true;
    }

    if (r.chatted) {
        const auto chat_start = server.sample();
        run.setMeasureStart(monotonicNs() + 5'000'000);
        run.setPhase(Phase::Measure);
        const auto quiet_start = Clock::now();
        sendFor(run, server, options.duration_s, r.quiet_peak_rss_kb, progress, options.flooders ? "quiet" : "chat");
        r.chat_s = std::chrono::duration<double>(Clock::now() - quiet_start).count();
        r.deliveries_per_s = double(run.totals().delivered_in_window) / r.chat_s;
        const auto quiet_end = server.sample();
        r.chat_cpu_s = cpuBetween(chat_start, quiet_end);
        if (options.flooders) {
            run.setFloodStart(monotonicNs());
            run.setPhase(Phase::Flood);
            const auto flood_start = Clock::now();
            const std::uint64_t flood_before = run.totals().flood_delivered;
            sendFor(run, server, options.duration_s, r.flood_peak_rss_kb, progress, "flood");
            r.flood_s = std::chrono::duration<double>(Clock::now() - flood_start).count();
            r.flood_delivered = run.totals().flood_delivered - flood_before;
            r.flood_cpu_s = cpuBetween(quiet_end, server.sample());
        }
        run.setPhase(Phase::Drain);
        const auto drain_deadline = after(options.drain_s);
        run.waitUntil([members](const Totals& now) { return now.delivered >= now.sent * members; }, drain_deadline,
                      [&](const Totals& now) {
                          progress.show("bigroom: draining, " + compact(double(now.delivered)) + " of " +
                                        compact(double(now.sent * members)));
                      });
    }
    if (const auto end = server.sample()) r.end_rss_kb = double(end->rss_bytes) / 1024;
    run.finish();
    progress.end();

    t = run.totals();
    r.sent = t.sent;
    r.delivered = t.delivered;
    r.expected = t.sent * members;
    r.complete_messages = run.book().completion(members).complete;
    r.latency = run.latency();
    r.flood_latency = run.floodLatency();
    r.join_latency = run.joinLatency();
    r.rejoin_latency = run.rejoinLatency();
    r.flooder_latency = run.flooderLatency();
    r.lost_members = t.lost_members;
    r.churn_leaves = t.churn_leaves;
    r.churn_joins = t.churn_joins;
    r.churn_skipped = t.churn_skipped;
    r.flood_sent = t.flood_sent;
    r.errors = t.errors;
    r.losses = run.losses();
    r.failures = run.failures();
    r.generator_load = run.busiestThreadLoad();
    return bigroomReport(options, r);
}

}  // namespace chatd::bench
