// chatd-bench: a load generator for chatd (and any WebSocket broadcast
// server). See `chatd-bench --help` and docs/performance.md.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "load_run.h"
#include "modes.h"
#include "options.h"
#include "sockets.h"

namespace {
constexpr int kExitUsage = 64;  // EX_USAGE
constexpr int kExitFailed = 1;

int usageError(const std::string& message) {
    std::fprintf(stderr, "chatd-bench: %s\nTry 'chatd-bench --help'.\n", message.c_str());
    return kExitUsage;
}
}  // namespace

int main(int argc, char** argv) {
    using namespace chatd::bench;
    const auto parsed = parseOptions(std::vector<std::string>(argv, argv + argc));
    if (std::holds_alternative<HelpRequested>(parsed)) {
        std::fputs(usageText().c_str(), stdout);
        return 0;
    }
    if (const auto* error = std::get_if<UsageError>(&parsed)) return usageError(error->message);
    const Options& options = std::get<Options>(parsed);

    if (!parseIpv4(options.host)) return usageError("--host: '" + options.host + "' is not an IPv4 address");
    if (options.server_pid && !std::filesystem::exists("/proc/" + std::to_string(*options.server_pid) + "/stat"))
        return usageError("--server-pid: no process " + std::to_string(*options.server_pid));
    if (options.mode == Mode::Idle && !options.server_pid)
        return usageError("idle needs --server-pid (it measures the server's RSS)");
    const std::uint64_t files = raiseOpenFileLimit();
    if (files && std::uint64_t(totalClients(options)) + 64 > files)
        return usageError(std::to_string(totalClients(options)) + " connections need more open files than this process may have (" +
                          std::to_string(files) + "); run several generators");
    std::signal(SIGPIPE, SIG_IGN);

    try {
        Report report;
        switch (options.mode) {
            case Mode::Broadcast: report = runBroadcast(options); break;
            case Mode::Idle: report = runIdle(options); break;
            case Mode::Connect: report = runConnect(options); break;
            case Mode::Bigroom: report = runBigroom(options); break;
        }
        const std::string out = options.json ? report.toJson() + "\n" : report.toTable();
        std::fputs(out.c_str(), stdout);
        std::fflush(stdout);
        return 0;
    } catch (const RunError& error) {
        std::fprintf(stderr, "chatd-bench: %s\n", error.what());
        return kExitFailed;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "chatd-bench: %s\n", error.what());
        return kExitFailed;
    }
}
