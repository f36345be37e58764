#include "options.h"

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
const std::map<std::string, std::set<Mode>> kModeOnly = {
    {"senders", {Mode::Broadcast}}, {"rate", {Mode::Broadcast}}, {"window", {Mode::Broadcast}},
    {"size", {Mode::Broadcast}},    {"drain", {Mode::Broadcast}}, {"duration", {Mode::Broadcast, Mode::Connect}},
};

}  // namespace

const char* modeName(Mode mode) {
    switch (mode) {
        case Mode::Broadcast: return "broadcast";
        case Mode::Idle: return "idle";
        case Mode::Connect: return "connect";
    }
    return "?";
}

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
        {"clients", unsignedInto("clients", o.clients, 1, 1000000)},
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
            else return UsageError{"unknown mode '" + arg + "' (expected broadcast, idle or connect)"};
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

    if (!mode_given) return UsageError{"no mode given (expected broadcast, idle or connect)"};
    if (!seen.count("port")) return UsageError{"--port is required"};
    for (const auto& [name, modes] : kModeOnly)
        if (seen.count(name) && !modes.count(o.mode))
            return UsageError{"--" + name + " does not apply to mode " + modeName(o.mode)};
    if (pid) o.server_pid = static_cast<pid_t>(pid);
    if (o.mode == Mode::Broadcast) {
        if (seen.count("rate") && seen.count("window"))
            return UsageError{"--rate (open loop) and --window (closed loop) exclude each other"};
        if (!seen.count("rate") && !seen.count("window"))
            return UsageError{"broadcast needs --rate R (open loop) or --window W (closed loop)"};
        if (o.senders > o.clients)
            return UsageError{"--senders " + std::to_string(o.senders) + " exceeds --clients " +
                              std::to_string(o.clients) + " (senders are among the clients)"};
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

Output:
  --threads T               generator threads (0 = one per usable CPU)
  --json                    one JSON line per run instead of a table
  --quiet                   no progress line on stderr
  --help                    this text

Exit status: 0 done, 1 the run failed (connections, setup), 64 bad options.
)";
}

}  // namespace chatd::bench
