// The sections of chatd.yaml and their rules: which keys exist, their
// types and ranges. docs/configuration.md documents the same table.
#include "config/settings_reader.h"

#include <algorithm>
#include <array>
#include <limits>

#include "config/names.h"
#include "config/units.h"
#include "protocol/names.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kMaxMessageBytes = 64 * kMiB;
constexpr std::int64_t kMaxHistoryBytes = 1024 * kMiB;             // one room
constexpr std::int64_t kMaxHistoryTotalBytes = 1024 * 1024 * kMiB;  // all rooms: 1024GiB
constexpr std::array<std::string_view, 7> kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};

// Stores `value` into `target` when it was read successfully.
template <typename Target, typename Value>
void store(Target& target, const std::optional<Value>& value) {
    if (value) target = static_cast<Target>(*value);
}

// ASCII lower case: origins are compared as browsers send them.
std::string lowerCase(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

void readListen(const Field& field, ListenConfig& listen, ValueReader& read) {
    const KeyHandler keys[] = {
        {"address", [&](const Field& f) { store(listen.address, read.string(f)); }},
        {"port", [&](const Field& f) { store(listen.port, read.integer(f, 0, 65535)); }},
    };
    read.mapping(field, keys);
}

void readHttp(const Field& field, HttpConfig& http, ValueReader& read) {
    const KeyHandler keys[] = {
        {"threads", [&](const Field& f) { store(http.threads, read.integer(f, 1, 1024)); }},
        {"request_timeout", [&](const Field& f) { store(http.request_timeout, read.duration(f, 100ms, 5min)); }},
        {"max_queued", [&](const Field& f) { store(http.max_queued, read.integer(f, 1, 100'000)); }},
    };
    read.mapping(field, keys);
}

void readOrigins(const Field& field, std::vector<std::string>& origins, ValueReader& read) {
    std::vector<std::string> accepted;
    bool allValid = true;
    const bool isList = read.list(field, [&](const Field& item) {
        auto origin = read.string(item);
        if (!origin) {
            allValid = false;
            return;
        }
        if (std::string problem = originProblem(*origin); !problem.empty()) {
            read.error(item, problem);
            allValid = false;
            return;
        }
        accepted.push_back(lowerCase(*origin));
    });
    if (isList && allValid) origins = std::move(accepted);
}

// Reads the websocket section; notes whether max_message_bytes was refused.
void readWebSocket(const Field& field, WebSocketConfig& ws, ValueReader& read, bool& maxMessageRefused) {
    const KeyHandler keys[] = {
        {"path",
         [&](const Field& f) {
             auto path = read.string(f);
             if (!path) return;
             if (std::string problem = urlPathProblem(*path); !problem.empty()) return read.error(f, problem);
             ws.path = *path;
         }},
        {"allowed_origins", [&](const Field& f) { readOrigins(f, ws.allowed_origins, read); }},
        {"max_message_bytes",
         [&](const Field& f) {
             auto bytes = read.size(f, 125, kMaxMessageBytes);
             maxMessageRefused = !bytes;
             store(ws.max_message_bytes, bytes);
         }},
        {"ping_interval", [&](const Field& f) { store(ws.ping_interval, read.duration(f, 1s, 1h)); }},
        {"ping_timeout", [&](const Field& f) { store(ws.ping_timeout, read.duration(f, 1s, 10min)); }},
    };
    read.mapping(field, keys);
}

void readThreads(const Field& field, ThreadsConfig& threads, ValueReader& read) {
    const KeyHandler keys[] = {
        {"io", [&](const Field& f) { store(threads.io, read.integer(f, 0, 256)); }},
        {"hub", [&](const Field& f) { store(threads.hub, read.integer(f, 1, 64)); }},
    };
    read.mapping(field, keys);
}

void readLog(const Field& field, LogConfig& log, ValueReader& read) {
    const KeyHandler keys[] = {
        {"level", [&](const Field& f) { store(log.level, read.choice(f, kLogLevels)); }},
    };
    read.mapping(field, keys);
}

// Reads the chat section; max_text_bytes is range-checked later, against
// the final websocket.max_message_bytes.
void readChat(const Field& field, ChatConfig& chat, ValueReader& read, std::optional<Field>& maxText) {
    const KeyHandler keys[] = {
        {"default_room",
         [&](const Field& f) {
             auto room = read.string(f);
             if (room && !protocol::isValidRoom(*room))
                 return read.error(
                     f, "a room name is 1-64 characters of ASCII letters, digits and _ - . #, got " + describe(f.node));
             store(chat.default_room, room);
         }},
        {"history_size", [&](const Field& f) { store(chat.history_size, read.integer(f, 0, 100'000)); }},
        {"history_bytes", [&](const Field& f) { store(chat.history_bytes, read.size(f, 0, kMaxHistoryBytes)); }},
        {"history_total_bytes",
         [&](const Field& f) { store(chat.history_total_bytes, read.size(f, 0, kMaxHistoryTotalBytes)); }},
        {"max_text_bytes", [&](const Field& f) { maxText = f; }},
        {"join_nick_per_second",
         [&](const Field& f) { store(chat.join_nick_per_second, read.integer(f, 0, 1'000'000)); }},
        {"join_nick_burst", [&](const Field& f) { store(chat.join_nick_burst, read.integer(f, 1, 1'000'000)); }},
        {"presence_max_members",
         [&](const Field& f) { store(chat.presence_max_members, read.integer(f, 1, 1'000'000'000)); }},
        {"presence_interval", [&](const Field& f) { store(chat.presence_interval, read.duration(f, 100ms, 1min)); }},
        {"welcome_users", [&](const Field& f) { store(chat.welcome_users, read.integer(f, 1, 1'000'000'000)); }},
    };
    read.mapping(field, keys);
}

// chat.max_text_bytes must fit in one WebSocket message. Left out, it
// defaults to 4096 or websocket.max_message_bytes, whichever is smaller.
void checkMaxText(const std::optional<Field>& maxText, bool maxMessageRefused, Config& config, ValueReader& read) {
    const std::size_t limit = config.websocket.max_message_bytes;
    if (!maxText) {
        config.chat.max_text_bytes = std::min(config.chat.max_text_bytes, limit);
        return;
    }
    auto bytes = read.size(*maxText, 1, kMaxMessageBytes);
    if (!bytes) return;
    // Against a refused max_message_bytes there is nothing sound to compare with.
    if (!maxMessageRefused && static_cast<std::size_t>(*bytes) > limit) {
        read.error(*maxText, "must not exceed websocket.max_message_bytes = " +
                                 formatSize(static_cast<std::int64_t>(limit)) + ", got " + maxText->node.Scalar());
        return;
    }
    config.chat.max_text_bytes = static_cast<std::size_t>(*bytes);
}

}  // namespace

void readSettings(const Field& root, Config& config, ErrorSink& sink, const std::filesystem::path& base_dir) {
    ValueReader read(sink);
    bool maxMessageRefused = false;
    std::optional<Field> maxText;
    std::optional<Field> authField;
    const KeyHandler keys[] = {
        {"listen", [&](const Field& f) { readListen(f, config.listen, read); }},
        {"public_dir", [&](const Field& f) { store(config.public_dir, read.string(f)); }},
        {"http", [&](const Field& f) { readHttp(f, config.http, read); }},
        {"websocket", [&](const Field& f) { readWebSocket(f, config.websocket, read, maxMessageRefused); }},
        {"limits", [&](const Field& f) { readLimits(f, config.limits, read); }},
        {"auth", [&](const Field& f) { authField = f; readAuth(f, config.auth, read); }},
        {"metrics", [&](const Field& f) { readMetrics(f, config.metrics, read); }},
        {"threads", [&](const Field& f) { readThreads(f, config.threads, read); }},
        {"log", [&](const Field& f) { readLog(f, config.log, read); }},
        {"chat", [&](const Field& f) { readChat(f, config.chat, read, maxText); }},
        {"bus", [&](const Field& f) { readBus(f, config.bus, read); }},
        {"state_dir", [&](const Field& f) { readStateDir(f, config.state_dir, read); }},
        {"history", [&](const Field& f) { readHistory(f, config.history, read); }},
        {"control", [&](const Field& f) { readControl(f, config.control, read); }},
        {"plugin_dir", [&](const Field& f) { store(config.plugin_dir, read.string(f)); }},
        {"plugins", [&](const Field& f) { readPlugins(f, config.plugins, read); }},
    };
    read.mapping(root, keys);
    checkMaxText(maxText, maxMessageRefused, config, read);
    resolveStatePaths(config);
    if (sink.empty()) loadAuthSecret(authField, config.auth, base_dir, read);
}

}  // namespace chatd::config
