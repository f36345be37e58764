#include "human_output.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

#include "json/json_writer.h"

namespace chatd::ctl {

namespace {

using Row = std::vector<std::string>;

// A member as text: strings as they are, numbers without a fraction when whole.
std::string text(const json::Value* value) {
    if (!value || value->isNull()) return "-";
    if (const auto* str = value->asString()) return *str;
    if (const auto number = value->asUint()) return std::to_string(*number);
    if (const auto* array = value->asArray()) {
        std::string joined;
        for (const auto& item : *array) joined += (joined.empty() ? "" : ", ") + text(&item);
        return joined.empty() ? "-" : joined;
    }
    return json::write(*value);
}

// Columns padded to their widest cell, two spaces apart.
std::string table(const std::vector<Row>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], row[i].size());
        }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out += line + "\n";
    }
    return out;
}

std::string duration(const json::Value* seconds) {
    const auto total = seconds ? seconds->asUint() : std::nullopt;
    if (!total) return "-";
    const auto days = *total / 86400, hours = *total / 3600 % 24, minutes = *total / 60 % 60, secs = *total % 60;
    std::string out = days ? std::to_string(days) + "d " : "";
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%02llu:%02llu:%02llu", static_cast<unsigned long long>(hours),
                  static_cast<unsigned long long>(minutes), static_cast<unsigned long long>(secs));
    return out + buffer;
}

// "path, 1.2 MB, 3400 messages, 0 errors, commit 0.8 ms", or "memory only".
std::string historyStore(const json::Value* store) {
    if (!store || !store->isObject()) return "memory only (history.store: memory, or the Redis bus keeps it)";
    const json::Value* size_field = store->find("bytes");
    const double bytes = size_field && size_field->asUint() ? static_cast<double>(*size_field->asUint()) : 0;
    char size[32];
    std::snprintf(size, sizeof(size), "%.1f MB", bytes / 1e6);
    return text(store->find("path")) + ", " + size + ", " + text(store->find("messages_written")) + " messages written, " +
           text(store->find("write_errors")) + " write errors, commit " + text(store->find("mean_commit_ms")) + " ms";
}

std::string status(const json::Value& result) {
    return table({{"version", text(result.find("version"))},
                  {"uptime", duration(result.find("uptime_s"))},
                  {"connections", text(result.find("connections"))},
                  {"rooms", text(result.find("rooms"))},
                  {"bus", text(result.find("bus"))},
                  {"history", historyStore(result.find("history"))},
                  {"config", text(result.find("config"))},
                  {"plugins", text(result.find("plugins"))}});
}

std::string plugins(const json::Value& result) {
    const auto* list = result.find("plugins") ? result.find("plugins")->asArray() : nullptr;
    if (!list || list->empty()) return "no plugins configured\n";
    std::vector<Row> rows{{"PLUGIN", "CONTINUE", "DROP", "REJECT", "ERRORS"}};
    for (const auto& plugin : *list) {
        const json::Value empty;
        const json::Value* verdicts = plugin.find("verdicts") ? plugin.find("verdicts") : &empty;
        rows.push_back({text(plugin.find("name")), text(verdicts->find("continue")), text(verdicts->find("drop")),
                        text(verdicts->find("reject")), text(plugin.find("errors"))});
    }
    return table(rows);
}

std::string reload(const json::Value& result) {
    std::string changed = text(result.find("changed"));
    std::string out = "reload applied; changed: " + (changed == "-" ? std::string("nothing") : changed) + "\n";
    if (const auto* notes = result.find("notes") ? result.find("notes")->asArray() : nullptr)
        for (const auto& note : *notes) out += "note: " + text(&note) + "\n";
    return out;
}

// With the Redis bus: "note: ..." when the answer is this instance's view only.
std::string partialNote(const json::Value& result) {
    const json::Value* partial = result.find("partial");
    if (!partial || !partial->asBool() || !*partial->asBool()) return {};
    return "note: " + text(result.find("note")) + "\n";
}

// Rooms on every instance (with the Redis bus: MEMBERS everywhere, HERE on this one).
std::string rooms(const json::Value& result) {
    const auto* list = result.find("rooms") ? result.find("rooms")->asArray() : nullptr;
    const bool shared = result.find("instance") != nullptr;
    if (!list || list->empty())
        return (shared && partialNote(result).empty() ? "no rooms with members\n" : "no rooms with members here\n") +
               partialNote(result);
    std::vector<Row> rows{shared ? Row{"ROOM", "MEMBERS", "HERE"} : Row{"ROOM", "MEMBERS"}};
    for (const auto& room : *list) {
        Row row{text(room.find("room")), text(room.find("members"))};
        if (shared) row.push_back(text(room.find("here")));
        rows.push_back(std::move(row));
    }
    return table(rows) + partialNote(result);
}

// "2026-12-07 11:24:52" (UTC) from milliseconds since the Unix epoch.
std::string utcTime(const json::Value* ms) {
    const auto value = ms ? ms->asUint() : std::nullopt;
    if (!value) return "-";
    const std::time_t seconds = static_cast<std::time_t>(*value / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", &utc);
    return buffer;
}

// With the Redis bus, an INSTANCE column: "here" for this instance's members
// (which alone have a session, address, mode and time), else the instance id.
std::string who(const json::Value& result) {
    const auto* list = result.find("members") ? result.find("members")->asArray() : nullptr;
    if (!list || list->empty()) return "nobody\n" + partialNote(result);
    const json::Value* self = result.find("instance");
    std::vector<Row> rows{self ? Row{"NICK", "INSTANCE", "SESSION", "ADDRESS", "MODE", "SINCE (UTC)"}
                               : Row{"NICK", "SESSION", "ADDRESS", "MODE", "SINCE (UTC)"}};
    for (const auto& member : *list) {
        Row row{text(member.find("nick"))};
        if (self) {
            const std::string instance = text(member.find("instance"));
            row.push_back(instance == text(self) ? std::string("here") : instance);
        }
        for (const std::string& cell : {text(member.find("session")), text(member.find("address")),
                                        text(member.find("mode")), utcTime(member.find("since_ms"))})
            row.push_back(cell);
        rows.push_back(std::move(row));
    }
    return table(rows) + partialNote(result);
}

// "session 12 disconnected (4000 "why")", and with the Redis bus how many
// other instances holding the nick were told to close it.
std::string disconnect(const json::Value& result) {
    const std::string how = " (" + text(result.find("code")) + " \"" + text(result.find("reason")) + "\")";
    std::string out;
    if (text(result.find("sessions")) != "-") out = "session " + text(result.find("sessions")) + " disconnected" + how + "\n";
    if (const json::Value* told = result.find("instances_told")) {
        const std::string count = text(told);
        if (count != "0")
            out += text(result.find("nick")) + ": " + count + " other instance" + (count == "1" ? "" : "s") +
                   " told to disconnect it" + (out.empty() ? how : std::string()) + "\n";
    }
    return out + partialNote(result);
}

}  // namespace

std::string formatResult(const std::string& command, const json::Value& result) {
    if (command == "status") return status(result);
    if (command == "plugins") return plugins(result);
    if (command == "reload") return reload(result);
    if (command == "rooms") return rooms(result);
    if (command == "who") return who(result);
    if (command == "disconnect") return disconnect(result);
    if (command == "say") return "posted into " + text(result.find("room")) + "\n";
    if (command == "kick")
        return text(result.find("nick")) + " kicked from " + text(result.find("room")) + " (session " +
               text(result.find("session")) + ")\n";
    return json::write(result) + "\n";
}

}  // namespace chatd::ctl
