// idle: what an idle connection costs the server. Opens N connections (each
// joined and having received one broadcast), waits until the server's RSS
// settles, and divides the growth by N.
#include <cmath>
#include <thread>

#include "load_run.h"
#include "modes.h"
#include "proc_stats.h"
#include "progress.h"

namespace chatd::bench {

namespace {
// Samples RSS every 250 ms until two samples in a row differ by < 0.5% (after
// at least 1 s), or 10 s passed.
ProcessSample settledSample(pid_t pid) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const auto earliest = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    auto previous = sampleProcess(pid);
    if (!previous) throw RunError("server process " + std::to_string(pid) + " is gone");
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        auto current = sampleProcess(pid);
        if (!current) throw RunError("server process " + std::to_string(pid) + " is gone");
        const double change =
            std::fabs(double(current->rss_bytes) - double(previous->rss_bytes)) / double(previous->rss_bytes);
        const auto now = std::chrono::steady_clock::now();
        if ((change < 0.005 && now >= earliest) || now >= give_up) return *current;
        previous = current;
    }
}
}  // namespace

Report runIdle(const Options& options) {
    const pid_t pid = *options.server_pid;  // main() checked it is there
    Progress progress(options.progress);
    const auto before = sampleProcess(pid);
    const auto fds_before = openFileCount(pid);
    if (!before) throw RunError("cannot read /proc/" + std::to_string(pid) + "/stat");
    const std::uint64_t n = options.clients;

    LoadRun run(options);
    const auto started = std::chrono::steady_clock::now();
    run.start();
    run.connectAll([&](const Totals& t) {
        progress.show("idle: connecting " + std::to_string(t.connected) + "/" + std::to_string(n));
    });
    const double connect_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    run.warmUp([&](const Totals& t) {
        progress.show("idle: warm-up reached " + std::to_string(t.warm) + "/" + std::to_string(n));
    });
    run.setPhase(Phase::Drain);  // nothing is sent from here on
    progress.show("idle: " + std::to_string(n) + " connections open, waiting for the server's RSS to settle");
    const ProcessSample after = settledSample(pid);
    const auto fds_after = openFileCount(pid);
    const Totals t = run.totals();
    run.finish();
    progress.end();

    Report report;
    report.text("mode", "idle", "mode");
    report.text("protocol", protocolName(options.protocol), "protocol");
    report.number("clients", static_cast<double>(n), "connections");
    report.number("open", double(t.open), "still open at the end");
    report.number("connect_s", connect_s, "time to connect all", "s", 2);
    report.number("connections_per_s", double(n) / connect_s, "connections/s");
    report.number("server_rss_before_kb", double(before->rss_bytes) / 1024, "server RSS before", "KiB");
    report.number("server_rss_after_kb", double(after.rss_bytes) / 1024, "server RSS with all open", "KiB");
    report.number("rss_per_connection_bytes", (double(after.rss_bytes) - double(before->rss_bytes)) / double(n),
                  "RSS per idle connection", "bytes");
    report.number("server_threads_before", before->threads, "server threads before");
    report.number("server_threads_after", after.threads, "server threads with all open");
    report.number("server_setup_cpu_s", after.cpu_s - before->cpu_s, "server CPU to accept them", "s", 2);
    if (fds_before && fds_after) {
        report.number("server_fds_before", double(*fds_before), "server open files before");
        report.number("server_fds_after", double(*fds_after), "server open files with all open");
        report.number("fds_per_connection", (double(*fds_after) - double(*fds_before)) / double(n),
                      "open files per connection", "", 3);
    }
    report.counts("losses", run.losses(), "lost by cause");
    if (t.open < n) report.warn(std::to_string(n - t.open) + " connections closed before the measurement ended");
    return report;
}

}  // namespace chatd::bench
