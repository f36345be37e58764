// Options: the command line of chatd-bench, parsed and checked. Every bad
// option yields a UsageError whose message names the option and the rule;
// main() prints it and exits 64 (EX_USAGE).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace chatd::bench {

enum class Mode { Broadcast, Idle, Connect, Bigroom };
enum class Protocol { Raw, Json };

struct Options {
    Mode mode = Mode::Broadcast;
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  // required
    std::uint16_t port2 = 0;  // 0 = none; else every odd-numbered client connects here
    std::string path = "/";
    Protocol protocol = Protocol::Raw;
    std::string room = "bench";  // JSON mode: the room every member joins
    unsigned clients = 100;
    unsigned senders = 1;
    double rate = 0;      // messages/s per sender; > 0 selects the open loop
    unsigned window = 0;  // messages in flight per sender; > 0 selects the closed loop
    unsigned size = 64;   // payload bytes of each message
    double duration_s = 10;
    double drain_s = 5;         // longest wait for stragglers after sending stopped
    double setup_timeout_s = 60;  // connect + join + warm-up barrier
    unsigned threads = 0;       // 0 = one per CPU this process may run on
    unsigned sources = 16;      // loopback source addresses 127.0.0.1..N (loopback targets only)
    unsigned connect_concurrency = 100;  // handshakes in flight at once, all threads together
    // bigroom: churners join and leave the room (churn_rate leave+join cycles/s
    // in all); flooders send as fast as their sockets take, spread over
    // flood_rooms rooms of their own, after a quiet phase of the same length.
    unsigned churners = 0;
    double churn_rate = 0;
    unsigned flooders = 0;
    unsigned flood_rooms = 0;  // 0 = one room per flooder
    std::optional<pid_t> server_pid;
    bool json = false;
    bool progress = true;
};

struct UsageError {
    std::string message;
};

struct HelpRequested {};

// Parses argv (argv[0] is the program). Returns the options, a UsageError, or
// HelpRequested for --help.
std::variant<Options, UsageError, HelpRequested> parseOptions(const std::vector<std::string>& args);

// The --help text.
std::string usageText();

// Every connection of a run: the members, then churners, then flooders.
unsigned totalClients(const Options& options);

const char* modeName(Mode mode);
const char* protocolName(Protocol protocol);

}  // namespace chatd::bench
