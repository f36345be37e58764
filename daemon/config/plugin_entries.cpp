// The `plugins:` list of chatd.yaml: one mapping per plugin, in pipeline
// order, each {name, path, on_error, rooms, tick, config}.
#include <array>
#include <map>

#include "config/names.h"
#include "config/settings_reader.h"
#include "protocol/names.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;

constexpr std::array<std::string_view, 2> kOnErrorChoices{"continue", "drop"};
constexpr auto kMinTick = 100ms;
constexpr auto kMaxTick = 24h;

// A `rooms:` pattern: a room name, where `*` stands for any run of room characters.
bool isValidRoomPattern(std::string_view pattern) {
    std::string probe(pattern);
    for (char& c : probe)
        if (c == '*') c = 'x';
    return protocol::isValidRoom(probe);
}

// Reads `rooms:`: a list of room names and `*` globs (a single name is a list of one).
std::optional<std::vector<std::string>> readRooms(const Field& field, ValueReader& read) {
    std::vector<std::string> rooms;
    bool valid = true;
    const auto one = [&](const Field& item) {
        auto pattern = read.string(item);
        if (!pattern) {
            valid = false;
        } else if (!isValidRoomPattern(*pattern)) {
            read.error(item, "a rooms entry is a room name (letters, digits, _ - . #) or a glob with *, got " +
                                 describe(item.node));
            valid = false;
        } else {
            rooms.push_back(std::move(*pattern));
        }
    };
    if (field.node.IsScalar())
        one(field);
    else if (!read.list(field, one))
        valid = false;
    if (!valid) return std::nullopt;
    if (rooms.empty()) {
        read.error(field, "rooms must list at least one room or glob (leave the key out for every room)");
        return std::nullopt;
    }
    return rooms;
}

// Reads one list entry; returns nullopt (after recording why) when unusable.
std::optional<PluginEntry> readEntry(const Field& item, ValueReader& read) {
    if (!item.node.IsMap()) {
        read.error(item, "expected a mapping such as '- name: my_plugin', got " + describe(item.node));
        return std::nullopt;
    }
    PluginEntry entry;
    entry.config = YAML::Node(YAML::NodeType::Null);
    bool valid = true;
    bool named = false;
    const auto keep = [&](auto value, auto& target) {
        if (value)
            target = std::move(*value);
        else
            valid = false;
    };
    const KeyHandler keys[] = {
        {"name",
         [&](const Field& f) {
             named = true;
             auto name = read.string(f);
             if (name && !isValidPluginName(*name)) {
                 read.error(f, "a plugin name is ASCII letters, digits, _ and -, got " + describe(f.node));
                 name.reset();
             }
             keep(name, entry.name);
         }},
        {"path", [&](const Field& f) { keep(read.string(f), entry.path); }},
        {"on_error",
         [&](const Field& f) {
             auto policy = read.choice(f, kOnErrorChoices);
             if (policy)
                 entry.on_error = *policy == "drop" ? OnError::Drop : OnError::Continue;
             else
                 valid = false;
         }},
        {"rooms", [&](const Field& f) { keep(readRooms(f, read), entry.rooms); }},
        {"tick", [&](const Field& f) { keep(read.duration(f, kMinTick, kMaxTick), entry.tick); }},
        {"config", [&](const Field& f) { entry.config = YAML::Clone(f.node); }},
    };
    read.mapping(item, keys);
    if (!named) {
        read.error(item, "missing required key 'name'");
        valid = false;
    }
    if (!valid) return std::nullopt;
    return entry;
}

}  // namespace

void readPlugins(const Field& field, std::vector<PluginEntry>& plugins, ValueReader& read) {
    std::vector<PluginEntry> entries;
    std::map<std::string, int, std::less<>> firstLine;  // plugin name -> line it was first given on
    read.list(field, [&](const Field& item) {
        auto entry = readEntry(item, read);
        if (!entry) return;
        const Field nameField{item.node["name"], item.node["name"].Mark(), item.key + ".name"};
        if (auto [it, inserted] = firstLine.emplace(entry->name, nameField.mark.line + 1); !inserted) {
            read.error(nameField, "duplicate plugin name '" + entry->name + "' (first given on line " +
                                      std::to_string(it->second) + ")");
            return;
        }
        entries.push_back(std::move(*entry));
    });
    plugins = std::move(entries);
}

}  // namespace chatd::config
