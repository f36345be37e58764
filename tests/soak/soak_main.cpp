// chatd_soak: a bounded soak test of the built chatd binary, loopback only.
// It starts chatd (port 0), warms it up, lets every client leave and takes
// the baseline (RSS, open descriptors); then runs the rounds with churn and
// hostile clients, lets everyone leave again and checks: no crash, RSS within
// --rss-tolerance of the baseline, descriptors back to the baseline exactly,
// every message delivered to every well-behaved client exactly once and in
// order, and a clean exit on SIGTERM.
//
// What "start" means: the baseline is taken after three warm-up cycles (each:
// --warmup-rounds rounds of the same workload, churn included, then every
// client leaves) -- the larger idle RSS after cycles 2 and 3 -- not in the
// fresh process. glibc keeps freed memory in
// per-thread arenas for reuse instead of returning it to the kernel, and
// chatd allocates on one thread and frees on another (sessions are built on
// HTTP threads and die on IO loops; frames are built on hub threads), so RSS
// climbs to a working size the first time each pattern occurs: measured on
// the committed tree, a baseline after 3 rounds and no "everyone leaves,
// everyone comes back" grew 30-47 % by the end and then stayed flat, while
// glibc's in-use bytes grew only by the history rings still filling. A
// baseline that has seen both patterns (and full history rings: the soak
// config keeps 20 messages per room) measures growth per round, which is what
// a leak looks like. Comparing with a process that never had a client would
// measure the allocator instead.
//
// Short form (ctest -L soak): 3,000 clients, 3 x 4 warm-up + 10 rounds, about
// a minute. Long form (about an hour), e.g.:
//   chatd_soak --chatd build/daemon/chatd --clients 15000 --rounds 300
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "child_process.h"
#include "probes.h"
#include "soak_scenario.h"

namespace {

using namespace chatd;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string chatd = CHATD_BIN;
    soak::ScenarioOptions scenario;
    int rounds = 10;
    int warmup_rounds = 4;  // per warm-up cycle
    int attach_port = 0;    // with attach_pid: a chatd started by someone else (e.g. under heaptrack)
    int attach_pid = 0;
    double rss_tolerance = 0.10;
};

int usage() {
    std::cerr << "usage: chatd_soak [--chatd PATH] [--clients N] [--rounds N] [--warmup-rounds N] [--rooms N]\n"
                 "                  [--raw-percent P]\n"
                 "                  [--slow-readers N] [--oversize N] [--violations N] [--churn-percent P]\n"
                 "                  [--source-addresses N] [--rss-tolerance F] [--phase-timeout S]\n"
                 "                  [--attach-port N --attach-pid N]   (a chatd you started; not stopped at the end)\n"
                 "                  [--expect-extra N]   (self-test: N more messages expected than sent)\n";
    return 64;
}

bool parse(int argc, char** argv, Options& options) {
    std::map<std::string, int*> ints{{"--clients", &options.scenario.clients},
                                     {"--rounds", &options.rounds},
                                     {"--warmup-rounds", &options.warmup_rounds},
                                     {"--attach-port", &options.attach_port},
                                     {"--attach-pid", &options.attach_pid},
                                     {"--rooms", &options.scenario.rooms},
                                     {"--raw-percent", &options.scenario.raw_percent},
                                     {"--slow-readers", &options.scenario.slow_readers},
                                     {"--oversize", &options.scenario.oversize},
                                     {"--violations", &options.scenario.violations},
                                     {"--churn-percent", &options.scenario.churn_percent},
                                     {"--source-addresses", &options.scenario.source_addresses},
                                     {"--expect-extra", &options.scenario.expect_extra}};
    for (int i = 1; i + 1 < argc + 1; i += 2) {
        if (i + 1 >= argc) return false;
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--chatd") {
            options.chatd = value;
        } else if (flag == "--rss-tolerance") {
            options.rss_tolerance = std::stod(value);
        } else if (flag == "--phase-timeout") {
            options.scenario.phase_timeout = std::chrono::seconds(std::stoi(value));
        } else if (auto it = ints.find(flag); it != ints.end()) {
            *it->second = std::stoi(value);
        } else {
            return false;
        }
    }
    if ((options.attach_port == 0) != (options.attach_pid == 0)) return false;
    return options.scenario.clients > 0 && options.scenario.rooms > 0 && options.rounds >= 0 &&
           options.warmup_rounds >= 1 && options.scenario.source_addresses >= 1 &&
           options.scenario.source_addresses <= 250;
}

std::string yaml(const soak::ScenarioOptions& scenario) {
    return "listen:\n  address: 127.0.0.1\n  port: 0\n"
           "public_dir: " CHATD_SOURCE_DIR
           "/public\n"
           "http:\n  threads: 8\n  max_queued: 1024\n"
           "threads:\n  io: 2\n"
           "websocket:\n  max_message_bytes: " +
           std::to_string(scenario.max_message_bytes) +
           "\n"
           // Senders burst on purpose (the soak measures the engine): no message pacing.
           "limits:\n  max_connections: 19000\n  send_queue_bytes: 256KiB\n  session_messages_per_second: 0\n"
           // The lobby sender polls with joins until every raw client is in (syncLobby).
           "chat:\n  history_size: 20\n  max_text_bytes: 8KiB\n  join_nick_per_second: 0\n"
           "log:\n  level: info\n";
}

// Kinds of open descriptors ("socket", "anon_inode:[eventpoll]", "/dev/null"...) with counts.
std::map<std::string, int> fdKinds(pid_t pid) {
    std::map<std::string, int> kinds;
    std::error_code error;
    for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error), end;
         !error && it != end; it.increment(error)) {
        std::string target = std::filesystem::read_symlink(it->path(), error).string();
        if (target.rfind("socket:", 0) == 0) target = "socket";
        if (target.rfind("pipe:", 0) == 0) target = "pipe";
        ++kinds[target];
    }
    return kinds;
}

// Waits until the daemon reports no connections and its descriptor count stops changing.
std::size_t settle(pid_t pid, std::uint16_t port, std::vector<std::string>& errors) {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    std::optional<std::uint64_t> connections;
    while (Clock::now() < deadline && (connections = soak::healthConnections(port)) != 0u)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (connections != 0u) errors.push_back("connections did not drop to 0 after every client left");
    std::size_t previous = 0, fds = soak::openFds(pid);
    for (int stable = 0; stable < 5 && Clock::now() < deadline + std::chrono::seconds(10);) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        previous = fds;
        fds = soak::openFds(pid);
        stable = fds == previous ? stable + 1 : 0;
    }
    return fds;
}

void raiseFileLimit() {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

constexpr int kWarmupCycles = 3;

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse(argc, argv, options)) return usage();
    raiseFileLimit();
    ::signal(SIGPIPE, SIG_IGN);
    const auto dir = std::filesystem::temp_directory_path() / ("chatd-soak-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "chatd.yaml") << yaml(options.scenario);
    std::unique_ptr<testing::ChildProcess> daemon;
    std::uint16_t port = static_cast<std::uint16_t>(options.attach_port);
    pid_t pid = options.attach_pid;
    if (!pid) {
        daemon = std::make_unique<testing::ChildProcess>(
            std::vector<std::string>{options.chatd, "--config=" + (dir / "chatd.yaml").string()},
            std::vector<std::string>{"STATE_DIRECTORY=" + dir.string()});  // its history.db goes there
        port = testing::waitForListeningPort(*daemon, std::chrono::seconds(20));
        pid = daemon->pid();
    }
    auto running = [&] { return daemon ? !daemon->waitExit(std::chrono::milliseconds(0)) : ::kill(pid, 0) == 0; };
    std::vector<std::string> errors;
    const auto started = Clock::now();
    std::cout << "soak: chatd pid " << pid << " port " << port << ", " << options.scenario.clients << " clients, "
              << options.rounds << " rounds; fresh process RSS " << mib(soak::residentBytes(pid)) << " MiB, "
              << soak::openFds(pid) << " fds" << std::endl;

    soak::SoakScenario scenario(options.scenario, port);
    // Warm-up: the measured part three times over in small (rounds with churn,
    // then everyone leaves), so that "all leave, all come back" was seen too.
    // The baseline is the larger idle RSS after cycles 2 and 3: which arena a
    // thread gets is up to glibc, and idle RSS after the same work varies by a
    // few percent from one cycle to the next.
    std::uint64_t baseline_rss = 0;
    std::size_t baseline_fds = 0;
    for (int cycle = 1, round = 0; cycle <= kWarmupCycles; ++cycle) {
        for (int n = 1; n <= options.warmup_rounds; ++n) scenario.runRound(--round, n < options.warmup_rounds);
        scenario.disconnectAll();
        baseline_fds = settle(pid, port, errors);
        const std::uint64_t idle = soak::residentBytes(pid);
        std::cout << "soak: warm-up cycle " << cycle << " (" << options.warmup_rounds << " rounds) done; idle RSS "
                  << mib(idle) << " MiB, " << baseline_fds << " fds" << std::endl;
        if (cycle > 1) baseline_rss = std::max(baseline_rss, idle);
    }
    const auto baseline_kinds = fdKinds(pid);
    std::cout << "soak: baseline (the larger idle RSS of warm-up cycles 2 and 3) RSS " << mib(baseline_rss) << " MiB, "
              << baseline_fds << " fds" << std::endl;

    for (int round = 1; round <= options.rounds; ++round) {
        const auto round_start = Clock::now();
        scenario.runRound(round, round < options.rounds);
        std::cout << "soak: round " << round << " in "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - round_start).count()
                  << " ms, RSS " << mib(soak::residentBytes(pid)) << " MiB, " << soak::openFds(pid) << " fds, "
                  << scenario.deliveries() << " deliveries so far" << std::endl;
        if (!running()) break;
    }
    scenario.disconnectAll();
    const bool alive = running();
    if (!alive) errors.push_back("chatd exited during the soak; output:\n" + (daemon ? daemon->output() : ""));
    const std::size_t final_fds = alive ? settle(pid, port, errors) : 0;
    const std::uint64_t final_rss = alive ? soak::residentBytes(pid) : 0;
    std::cout << "soak: final (everyone gone) RSS " << mib(final_rss) << " MiB, " << final_fds << " fds; "
              << scenario.connectionsOpened() << " connections opened, " << scenario.deliveries() << " deliveries in "
              << std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count() << " s" << std::endl;

    if (alive) {
        const double growth = static_cast<double>(final_rss) / static_cast<double>(baseline_rss) - 1.0;
        std::cout << "soak: RSS change against the baseline " << growth * 100 << " %" << std::endl;
        if (options.rss_tolerance < 0)
            std::cout << "soak: RSS not checked (--rss-tolerance < 0: a sanitizer build's allocator keeps freed memory)"
                      << std::endl;
        else if (growth > options.rss_tolerance)
            errors.push_back("RSS grew " + std::to_string(growth * 100) + " % (limit " +
                             std::to_string(options.rss_tolerance * 100) + " %)");
        if (final_fds != baseline_fds) {
            std::string detail;
            const auto final_kinds = fdKinds(pid);
            for (const auto& [kind, count] : final_kinds)
                if (baseline_kinds.count(kind) == 0 || baseline_kinds.at(kind) != count)
                    detail += " " + kind + ": " +
                              std::to_string(baseline_kinds.count(kind) ? baseline_kinds.at(kind) : 0) + " -> " +
                              std::to_string(count) + ";";
            errors.push_back("descriptors " + std::to_string(baseline_fds) + " -> " + std::to_string(final_fds) +
                             detail);
        }
        const auto code = daemon ? (daemon->signal(SIGTERM), daemon->waitExit(std::chrono::seconds(20))) : 0;
        if (code != 0) {
            const std::string output = daemon ? daemon->output() : "";
            errors.push_back("chatd did not stop cleanly on SIGTERM (exit " + (code ? std::to_string(*code) : "none") +
                             "); the end of its output:\n" +
                             output.substr(output.size() - std::min<std::size_t>(output.size(), 6000)));
        }
    }
    for (const auto& error : scenario.errors()) errors.push_back(error);
    std::filesystem::remove_all(dir);
    for (const auto& error : errors) std::cout << "soak: FAIL: " << error << "\n";
    std::cout << (errors.empty() ? "soak: PASS" : "soak: FAILED") << std::endl;
    return errors.empty() ? 0 : 1;
}
