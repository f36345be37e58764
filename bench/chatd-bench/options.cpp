#include "options.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace chatd::bench {

namespace {

constexpr unsigned kMinPayload = 32;  // the stamp (see stamp.h) must fit
constexpr unsigned kMaxPayload = 16u << 20;

// Parsing helpers: each returns an error message or nothing.
std::optional<std::string> readUnsigned(const std::string& name, const std::string& text, unsigned long long min,
                                        unsigned long long max, unsigned long long& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    if (text.empty() || ec != std::errc() || ptr != end)
        return "--" + name + ": expected a whole number, got '" + text + "'";
    if (out < min || out > max)
        return "--" + name + ": " + text + " is out of range " + std::to_string(min) + ".." + std::to_string(max);
    return std::nullopt;
}

std::optional<std::string> readDouble(const std::string& name, const std::string& text, double min, double max,
                                      double& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(out))
        return "--" + name + ": expected a number, got '" + text + "'";
    if (out < min || out > max)
        return "--" + name + ": " + text + " is out of range " + std::to_string(min) + ".." + std::to_string(max);
    return std::nullopt;
}

template <typename T>
std::function<std::optional<std::string>(const std::string&)> unsignedInto(const std::string& name, T& field,
                                                                           unsigned long long min,
                                                                           unsigned long long max) {
    return [name, &field, min, max](const std::string& text) -> std::optional<std::string> {
        unsigned long long value = 0;
        if (auto error = readUnsigned(name, text, min, max, value)) return error;
        field = static_cast<T>(value);
        return std::nullopt;
    };
}

std::function<std::optional<std::string>(const std::string&)> doubleInto(const std::string& name, double& field,
                                                                         double min, double max) {
    return [name, &field, min, max](const std::string& text) { return readDouble(name, text, min, max, field); };
}

// Options that only make sense for some modes.
const std::set<Mode> kSending = {Mode::Broadcast, Mode::Bigroom};
const std::map<std::string, std::set<Mode>> kModeOnly = {
    {"senders", kSending},         {"rate", kSending},
    {"window", {Mode::Broadcast}}, {"size", kSending},
    {"drain", kSending},           {"duration", {Mode::Broadcast, Mode::Connect, Mode::Bigroom}},
    {"churners", {Mode::Bigroom}}, {"churn", {Mode::Bigroom}},
    {"flooders", {Mode::Bigroom}}, {"flood-rooms", {Mode::Bigroom}},
};

// A room or nick as chatd.v1 names it: 1-64 of letters, digits, _ - . #
bool validRoom(const std::string& room) {
    if (room.empty() || room.size() > 64) return false;
    for (const char c : room)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' && c != '#') return false;
    return true;
}

// The checks of the bigroom mode's options.
std::optional<std::string> checkBigroom(Options& o, const std::set<std::string>& seen) {
    if (seen.count("protocol") && o.protocol != Protocol::Json)
        return std::string("bigroom speaks chatd.v1: --protocol must be json");
    o.protocol = Protocol::Json;
    if (!seen.count("rate")) o.rate = 1;
    if (seen.count("churners") != seen.count("churn"))
        return std::string("--churners K and --churn RATE go together");
    if (seen.count("flood-rooms") && !o.flooders) return std::string("--flood-rooms needs --flooders");
    if (o.flood_rooms > o.flooders)
        return "--flood-rooms " + std::to_string(o.flood_rooms) + " exceeds --flooders " + std::to_string(o.flooders);
    if (std::uint64_t(o.clients) + o.churners + o.flooders > 1000000)
        return std::string("--clients + --churners + --flooders exceed 1000000");
    return std::nullopt;
}

}  // namespace

const char* modeName(Mode mode) {
    switch (mode) {
        case Mode::Broadcast: return "broadcast";
        case Mode::Idle: return "idle";
        case Mode::Connect: return "connect";
        case Mode::Bigroom: return "bigroom";
    }
    return "?";
}

unsigned totalClients(const Options& options) { return options.clients + options.churners + options.flooders; }

const char* protocolName(Protocol protocol) { return protocol == Protocol::Json ? "json" : "raw"; }

std::variant<Options, UsageError, HelpRequested> parseOptions(const std::vector<std::string>& args) {
    Options o;
    std::set<std::string> seen;
    bool mode_given = false;
    unsigned long long pid = 0;

    using Setter = std::function<std::optional<std::string>(const std::string&)>;
    const std::map<std::string, Setter> with_value = {
        {"host", [&](const std::string& v) -> std::optional<std::string> {
             if (v.empty()) return std::string("--host: expected an IPv4 address");
             o.host = v;
             return std::nullopt;
         }},
        {"port", unsignedInto("port", o.port, 1, 65535)},
        {"port2", unsignedInto("port2", o.port2, 1, 65535)},
        {"path", [&](const std::string& v) -> std::optional<std::string> {
             if (v.empty() || v[0] != '/') return "--path: must start with '/', got '" + v + "'";
             o.path = v;
             return std::nullopt;
         }},
        {"protocol", [&](const std::string& v) -> std::optional<std::string> {
             if (v == "raw") o.protocol = Protocol::Raw;
             else if (v == "json") o.protocol = Protocol::Json;
             else return "--protocol: expected raw or json, got '" + v + "'";
             return std::nullopt;
         }},
        {"room", [&](const std::string& v) -> std::optional<std::string> {
             if (!validRoom(v)) return "--room: expected 1-64 letters, digits, _ - . #, got '" + v + "'";
             o.room = v;
             return std::nullopt;
         }},
        {"clients", unsignedInto("clients", o.clients, 1, 1000000)},
        {"churners", unsignedInto("churners", o.churners, 1, 1000000)},
        {"churn", doubleInto("churn", o.churn_rate, 0.001, 1e6)},
        {"flooders", unsignedInto("flooders", o.flooders, 1, 1000000)},
        {"flood-rooms", unsignedInto("flood-rooms", o.flood_rooms, 1, 1000000)},
        {"senders", unsignedInto("senders", o.senders, 1, 1000000)},
        {"rate", doubleInto("rate", o.rate, 0.001, 1e7)},
        {"window", unsignedInto("window", o.window, 1, 100000)},
        {"size", unsignedInto("size", o.size, kMinPayload, kMaxPayload)},
        {"duration", doubleInto("duration", o.duration_s, 0.1, 86400)},
        {"drain", doubleInto("drain", o.drain_s, 0, 3600)},
        {"setup-timeout", doubleInto("setup-timeout", o.setup_timeout_s, 1, 3600)},
        {"threads", unsignedInto("threads", o.threads, 0, 256)},
        {"sources", unsignedInto("sources", o.sources, 1, 254)},
        {"connect-concurrency", unsignedInto("connect-concurrency", o.connect_concurrency, 1, 100000)},
        {"server-pid", [&](const std::string& v) { return readUnsigned("server-pid", v, 1, 4194304, pid); }},
    };
    const std::map<std::string, std::function<void()>> flags = {
        {"json", [&] { o.json = true; }},
        {"quiet", [&] { o.progress = false; }},
    };

    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--help" || arg == "-h") return HelpRequested{};
        if (arg.rfind("--", 0) != 0) {
            if (mode_given) return UsageError{"unexpected argument '" + arg + "'"};
            if (arg == "broadcast") o.mode = Mode::Broadcast;
            else if (arg == "idle") o.mode = Mode::Idle;
            else if (arg == "connect") o.mode = Mode::Connect;
            else if (arg == "bigroom") o.mode = Mode::Bigroom;
            else return UsageError{"unknown mode '" + arg + "' (expected broadcast, idle, connect or bigroom)"};
            mode_given = true;
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> value;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (!seen.insert(name).second) return UsageError{"--" + name + " given twice"};
        if (const auto flag = flags.find(name); flag != flags.end()) {
            if (value) return UsageError{"--" + name + " takes no value"};
            flag->second();
            continue;
        }
        const auto setter = with_value.find(name);
        if (setter == with_value.end()) return UsageError{"unknown option --" + name};
        if (!value) {
            if (i + 1 >= args.size()) return UsageError{"--" + name + " needs a value"};
            value = args[++i];
        }
        if (auto error = setter->second(*value)) return UsageError{*error};
    }

    if (!mode_given) return UsageError{"no mode given (expected broadcast, idle, connect or bigroom)"};
    if (!seen.count("port")) return UsageError{"--port is required"};
    for (const auto& [name, modes] : kModeOnly)
        if (seen.count(name) && !modes.count(o.mode))
            return UsageError{"--" + name + " does not apply to mode " + modeName(o.mode)};
    if (pid) o.server_pid = static_cast<pid_t>(pid);
    if (o.mode == Mode::Bigroom) {
        if (auto problem = checkBigroom(o, seen)) return UsageError{*problem};
    } else if (seen.count("room") && o.protocol != Protocol::Json) {
        return UsageError{"--room needs --protocol json (raw clients are in the server's default room)"};
    }
    if (o.senders > o.clients && seen.count("senders"))
        return UsageError{"--senders " + std::to_string(o.senders) + " exceeds --clients " + std::to_string(o.clients) +
                          " (senders are among the clients)"};
    if (o.mode == Mode::Broadcast) {
        if (seen.count("rate") && seen.count("window"))
            return UsageError{"--rate (open loop) and --window (closed loop) exclude each other"};
        if (!seen.count("rate") && !seen.count("window"))
            return UsageError{"broadcast needs --rate R (open loop) or --window W (closed loop)"};
    }
    return o;
}

std::string usageText() {
    return R"(usage: chatd-bench MODE --port N [options]

Load generator for chatd and other WebSocket broadcast servers.

Modes:
  broadcast   N clients in one room, S of them send; measures deliveries/s,
              completeness, delivery latency and server CPU/RSS
  idle        RSS per idle connection: open N connections, measure the server
  connect     connections/s, the most reached, failures by cause
  bigroom     chatd.v1 only: fill one room with N members (time until every
              join was answered, clients closed, server RSS), then S of them
              chat at R msg/s (completeness, latency); optionally with
              churners joining and leaving, or flooders (a quiet phase, then
              the same with the flood: latency and peak RSS of both)

Target:
  --host ADDR               IPv4 address of the server (127.0.0.1)
  --port N                  its port (required)
  --port2 N                 a second server of the same deployment (chatd
                            instances sharing rooms through Redis): every
                            odd-numbered client, senders included, connects here
  --path P                  WebSocket path (/)
  --server-pid PID          read the server's CPU and RSS from /proc/PID

Clients:
  --clients N               connections (100)
  --protocol raw|json       raw (tutorial mode) or chatd.v1 JSON (raw)
  --room NAME               JSON: the room every member joins, as nick
                            u<number> (bench)
  --sources K               spread connections over 127.0.0.1..K when the
                            target is loopback, >28k connections per target (16)
  --connect-concurrency C   handshakes in flight at once (100)
  --setup-timeout SECS      bound for connect + join + warm-up (60)

broadcast:
  --senders S               clients that send (1)
  --rate R                  open loop: R messages/s per sender, each stamped
                            with its intended send time
  --window W                closed loop: W messages in flight per sender
  --size BYTES              payload bytes per message, >= 32 (64)
  --duration SECS           measuring time (10; also bounds connect mode)
  --drain SECS              longest wait for stragglers afterwards (5)

bigroom (also --senders, --rate (default 1), --size, --duration, --drain;
--setup-timeout bounds the fill):
  --churners K --churn RATE K more clients in the room leave (close) and
                            join again (a new connection and nick) while the
                            members chat: RATE leave+join cycles/s in all
  --flooders F              F more clients, each writing messages as fast as
                            its socket takes them, in rooms of their own;
                            the chat runs --duration quiet, then --duration
                            with the flood
  --flood-rooms K           spread the flooders over K rooms (default: a
                            room each)

Output:
  --threads T               generator threads (0 = one per usable CPU)
  --json                    one JSON line per run instead of a table
  --quiet                   no progress line on stderr
  --help                    this text

Exit status: 0 done, 1 the run failed (connections, setup), 64 bad options.
)";
}

}  // namespace chatd::bench
