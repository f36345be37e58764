// The `plugins:` list of chatd.yaml: one mapping per plugin, in pipeline
// order, each {name, path, on_error, config}.
#include <array>
#include <map>

#include "config/names.h"
#include "config/settings_reader.h"

namespace chatd::config {
namespace {

constexpr std::array<std::string_view, 2> kOnErrorChoices{"continue", "drop"};

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
