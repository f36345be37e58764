// broadcast: N clients in one room, S senders, open or closed loop; times
// every delivery and reads the server's CPU and RSS over the measuring window.
#include <cmath>
#include <thread>

#include "load_run.h"
#include "modes.h"
#include "proc_stats.h"
#include "progress.h"

namespace chatd::bench {

namespace {
constexpr double kSaturatedLoad = 0.9;  // a generator thread above this may be the bottleneck

double ms(std::int64_t ns) { return double(ns) / 1e6; }

void addLatencies(Report& report, const std::string& prefix, const std::string& label, const Histogram& histogram,
                  bool full) {
    report.number(prefix + "_p50_ms", ms(histogram.percentile(0.50)), label + " p50", "ms", 3);
    if (full) report.number(prefix + "_p90_ms", ms(histogram.percentile(0.90)), label + " p90", "ms", 3);
    report.number(prefix + "_p99_ms", ms(histogram.percentile(0.99)), label + " p99", "ms", 3);
    if (full) report.number(prefix + "_p999_ms", ms(histogram.percentile(0.999)), label + " p99.9", "ms", 3);
    report.number(prefix + "_max_ms", ms(histogram.max()), label + " max", "ms", 3);
}
}  // namespace

Report runBroadcast(const Options& options) {
    Progress progress(options.progress);
    LoadRun run(options);
    const std::uint64_t n = options.clients;
    const auto setup_started = std::chrono::steady_clock::now();
    const auto server_before_setup = options.server_pid ? sampleProcess(*options.server_pid) : std::nullopt;
    run.start();
    run.connectAll([&](const Totals& t) {
        progress.show("broadcast: connecting " + std::to_string(t.connected) + "/" + std::to_string(n) +
                      (options.protocol == Protocol::Json ? ", joined " + std::to_string(t.joined) : ""));
    });
    run.warmUp([&](const Totals& t) {
        progress.show("broadcast: warm-up reached " + std::to_string(t.warm) + "/" + std::to_string(n));
    });
    const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_started).count();

    // Measure.
    const auto server_start = options.server_pid ? sampleProcess(*options.server_pid) : std::nullopt;
    const std::int64_t start_ns = monotonicNs() + 5'000'000;
    const auto start = std::chrono::steady_clock::now();
    run.setMeasureStart(start_ns);
    run.setPhase(Phase::Measure);
    const auto end = start + std::chrono::milliseconds(static_cast<long long>(options.duration_s * 1000));
    run.waitUntil([](const Totals&) { return false; }, end, [&](const Totals& t) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress.show("broadcast: " + std::to_string(static_cast<int>(elapsed)) + "/" +
                      std::to_string(static_cast<int>(options.duration_s)) + " s, sent " + compact(double(t.sent)) +
                      ", delivered " + compact(double(t.delivered)) + " (" +
                      compact(double(t.delivered_in_window) / std::max(elapsed, 1e-3)) + "/s), open " +
                      std::to_string(t.open));
    });
    const auto measured_until = std::chrono::steady_clock::now();
    const auto server_end = options.server_pid ? sampleProcess(*options.server_pid) : std::nullopt;
    run.setPhase(Phase::Drain);
    const Totals at_end = run.totals();

    // Drain: every message sent reaches every client, or the drain time ends.
    const auto drain_deadline =
        measured_until + std::chrono::milliseconds(static_cast<long long>(options.drain_s * 1000));
    run.waitUntil([n](const Totals& t) { return t.delivered >= t.sent * n; }, drain_deadline, [&](const Totals& t) {
        progress.show("broadcast: draining, " + compact(double(t.delivered)) + " of " + compact(double(t.sent * n)));
    });
    run.finish();
    progress.end();

    const Totals t = run.totals();
    const double window_s = std::chrono::duration<double>(measured_until - start).count();
    const double expected = double(t.sent) * double(n);
    const auto completion = run.book().completion(n);

    Report report;
    report.text("mode", "broadcast", "mode");
    report.text("protocol", protocolName(options.protocol), "protocol");
    report.number("clients", static_cast<double>(n), "clients");
    report.number("senders", options.senders, "senders");
    if (options.window > 0) {
        report.text("loop", "closed", "loop");
        report.number("window", options.window, "in flight per sender");
    } else {
        report.text("loop", "open", "loop");
        report.number("rate", options.rate, "rate per sender", "msg/s", 2);
    }
    report.number("size", options.size, "payload", "bytes");
    report.number("threads", run.threadCount(), "generator threads");
    report.number("setup_s", setup_s, "setup (connect, join, warm-up)", "s", 2);
    report.number("duration_s", window_s, "measured", "s", 2);
    report.number("sent", double(t.sent), "messages sent");
    report.number("deliveries", double(t.delivered), "deliveries");
    report.number("expected", expected, "expected (sent x clients)");
    report.number("completeness", expected > 0 ? double(t.delivered) / expected : 0, "completeness", "", 6);
    report.number("deliveries_per_s", double(at_end.delivered_in_window) / window_s, "deliveries/s", "", 0);
    addLatencies(report, "latency", "delivery latency", run.latency(), true);
    report.number("complete_messages", double(completion.complete), "messages every client got");
    report.number("incomplete_messages", double(t.sent - std::min<std::uint64_t>(t.sent, completion.complete)),
                  "messages some client missed");
    addLatencies(report, "complete", "broadcast-complete", completion.complete_latency, false);
    report.number("lost_connections", double(t.lost), "connections lost");
    report.counts("losses", run.losses(), "lost by cause");

    if (options.server_pid) {
        if (!server_start || !server_end) {
            report.warn("server process " + std::to_string(*options.server_pid) + " could not be read from /proc");
        } else {
            const double start_cpu_s = server_start->cpu_s;
            const double cpu_s = server_end->cpu_s - start_cpu_s;
            report.number("server_cpu_percent", 100 * cpu_s / window_s, "server CPU", "%", 1);
            report.number("server_cpu_s", cpu_s, "server CPU time", "s", 2);
            report.number("server_rss_kb", double(server_end->rss_bytes) / 1024, "server RSS", "KiB");
            report.number("server_threads", server_end->threads, "server threads");
            report.number("deliveries_per_cpu_s", cpu_s > 0 ? double(at_end.delivered_in_window) / cpu_s : NAN,
                          "deliveries per server CPU-s");
            if (server_before_setup)
                report.number("setup_server_cpu_s", start_cpu_s - server_before_setup->cpu_s,
                              "server CPU during setup", "s", 2);
        }
    }
    const double load = run.busiestThreadLoad();
    report.number("generator_cpu_percent", 100 * load, "busiest generator thread", "%", 1);
    if (load > kSaturatedLoad)
        report.warn("a generator thread used " + std::to_string(static_cast<int>(100 * load)) +
                    "% of its core while measuring: the figures may show the generator's limit, not the server's "
                    "(give it more cores or --threads)");
    if (t.lost > 0) report.warn(std::to_string(t.lost) + " connections were lost: " + LoadRun::describe(run.losses()));
    return report;
}

}  // namespace chatd::bench
