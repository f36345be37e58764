// announce: posts configured lines into configured rooms on the entry's timer
// (`tick:`), one line per tick, round robin, into every room; and answers the
// operator: `chatdctl plugin announce now` posts the next line at once,
// `chatdctl plugin announce lines` lists them. Needs chatd 0.2 (on_tick,
// on_control, post).
//
// Build: part of chatd's build (`ninja -C build announce` -> build/plugins/announce.so),
// or out of tree with find_package(chatd) + chatd_add_plugin(announce SOURCES announce.cpp).
// Enable it in /etc/chatd.yaml, then reload (systemctl reload chatd):
//
//     plugins:
//       - name: announce
//         tick: 10m              # one line every 10 minutes
//         config:
//           rooms: [lobby]
//           lines: ["Welcome to chatd!", "Be nice."]
//           from: announce       # optional, the entry's name by default
//
// docs/plugins.md ("A plugin that acts") walks through this file.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <chatd/config.hpp>
#include <chatd/json.hpp>
#include <chatd/plugin.hpp>

namespace config = chatd::sdk::config;

class Announce : public chatd::sdk::Plugin {
public:
    // Reads rooms, lines and from; any mistake refuses the config.
    void init(const YAML::Node& cfg) override {
        if (!host().has02Services()) throw std::runtime_error("needs chatd 0.2 or newer (it posts)");
        config::checkKeys(cfg, {"rooms", "lines", "from"});
        rooms_ = config::require<std::vector<std::string>>(cfg, "rooms");
        lines_ = config::require<std::vector<std::string>>(cfg, "lines");
        from_ = config::get<std::string>(cfg, "from", host().instanceName());
        if (rooms_.empty()) throw std::runtime_error("key 'rooms' must list at least one room");
        if (lines_.empty()) throw std::runtime_error("key 'lines' must list at least one line");
        for (std::size_t i = 0; i < rooms_.size(); ++i)
            if (rooms_[i].empty()) throw std::runtime_error("key 'rooms': room " + std::to_string(i + 1) + " is empty");
        for (std::size_t i = 0; i < lines_.size(); ++i)
            if (lines_[i].empty()) throw std::runtime_error("key 'lines': line " + std::to_string(i + 1) + " is empty");
        if (from_.empty()) throw std::runtime_error("key 'from' must not be empty");
    }

    // A reload goes on with the next line instead of starting over.
    void reload(const YAML::Node& cfg, chatd::sdk::Plugin& previous) override {
        init(cfg);
        next_ = static_cast<Announce&>(previous).next_ % lines_.size();
    }

    void onTick() override { postNext(); }

    std::string onControl(std::string_view command, const std::vector<std::string>& args) override {
        if (!args.empty()) throw std::runtime_error("'" + std::string(command) + "' takes no arguments");
        if (command == "now") return "{\"posted\":" + std::to_string(postNext()) + "}";
        if (command == "lines") return chatd::sdk::json::stringList(lines_);
        throw std::runtime_error("unknown command '" + std::string(command) + "' (commands: now, lines)");
    }

private:
    // Posts the next line into every room; returns how many posts were
    // queued. A refused post (room name, too fast...) is logged and counted.
    std::size_t postNext() {
        const std::string& line = lines_[next_];
        next_ = (next_ + 1) % lines_.size();
        std::size_t posted = 0;
        for (const std::string& room : rooms_) {
            if (host().post(room, from_, line)) {
                ++posted;
                host().metricAdd("posted", room, 1);
            } else {
                host().warn("could not post into '" + room + "'");
                host().metricAdd("refused", room, 1);
            }
        }
        return posted;
    }

    std::vector<std::string> rooms_;
    std::vector<std::string> lines_;
    std::string from_;
    std::size_t next_ = 0;
};

CHATD_PLUGIN(Announce, "announce");
