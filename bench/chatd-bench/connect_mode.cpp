// connect: how fast connections open (TCP + WebSocket handshake) and how
// many the server holds at once; failures are counted by cause.
#include "load_run.h"
#include "modes.h"
#include "progress.h"

namespace chatd::bench {

Report runConnect(const Options& options) {
    Progress progress(options.progress);
    const std::uint64_t n = options.clients;
    LoadRun run(options);
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + std::chrono::milliseconds(static_cast<long long>(options.duration_s * 1000));
    std::uint64_t most_open = 0;
    run.start();
    const bool all = run.waitUntil(
        [&](const Totals& t) {
            most_open = std::max(most_open, t.open);
            return t.connected + t.failed >= n;
        },
        deadline,
        [&](const Totals& t) {
            progress.show("connect: " + std::to_string(t.connected) + " open, " + std::to_string(t.failed) +
                          " failed, of " + std::to_string(n));
        });
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const Totals t = run.totals();
    most_open = std::max(most_open, t.open);
    run.finish();
    progress.end();

    Report report;
    report.text("mode", "connect", "mode");
    report.text("protocol", protocolName(options.protocol), "protocol");
    report.number("attempted", double(t.connected + t.failed), "attempted");
    report.number("connected", double(t.connected), "connected");
    report.number("failed", double(t.failed), "failed");
    report.counts("failures", run.failures(), "failed by cause");
    report.number("elapsed_s", elapsed_s, "elapsed", "s", 2);
    report.number("connections_per_s", double(t.connected) / elapsed_s, "connections/s");
    report.number("most_open", double(most_open), "most open at once");
    report.number("lost_connections", double(t.lost), "closed by the server");
    report.counts("losses", run.losses(), "closed by cause");
    if (!all) report.warn("not every connection was attempted within --duration");
    return report;
}

}  // namespace chatd::bench
