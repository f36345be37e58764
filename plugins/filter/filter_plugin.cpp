// filter: masks, rejects or drops chat messages containing banned words
// (case-insensitive, whole words, safe on multibyte UTF-8) or matching regular
// expressions. Configuration: README.md in this folder.
//
// Build: part of chatd's build (`ninja -C build filter` -> build/plugins/filter.so).
// Enable it in /etc/chatd.yaml, then reload (systemctl reload chatd):
//
//     plugins:
//       - name: filter
//         on_error: drop
//         config:
//           words: [darn, "heck yeah"]
//           action: mask
#include "filter_plugin.h"

#include <fstream>
#include <stdexcept>

#include <chatd/config.hpp>

namespace chatd::plugins::filter {

namespace cfg = sdk::config;

std::vector<std::string> readWordsFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("words_file '" + path + "' cannot be read");
    std::vector<std::string> words;
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') continue;
        words.push_back(line);
    }
    return words;
}

void FilterPlugin::init(const YAML::Node& config) {
    cfg::checkKeys(config, {"words", "words_file", "patterns", "action", "reason"});
    std::vector<std::string> words = cfg::strings(config, "words");
    const std::string words_file = cfg::get<std::string>(config, "words_file", "");
    if (!words_file.empty()) {
        std::vector<std::string> more = readWordsFile(words_file);
        words.insert(words.end(), more.begin(), more.end());
    }
    try {
        filter_ = std::make_unique<WordFilter>(words, cfg::strings(config, "patterns"));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }

    const std::string action = cfg::get<std::string>(config, "action", "mask");
    if (action == "mask")
        action_ = Action::Mask;
    else if (action == "reject")
        action_ = Action::Reject;
    else if (action == "drop")
        action_ = Action::Drop;
    else
        throw std::runtime_error("key 'action': expected mask, reject or drop, got '" + action + "'");
    reason_ = cfg::get<std::string>(config, "reason", "message blocked by filter");

    if (filter_->empty()) host().warn("no words and no patterns configured: every message passes");
}

sdk::Verdict FilterPlugin::onMessage(sdk::Message& msg) {
    const std::vector<Range> found = filter_->find(msg.text());
    if (found.empty()) return sdk::Verdict::pass();
    switch (action_) {
        case Action::Mask:
            msg.setText(WordFilter::mask(msg.text(), found));
            return sdk::Verdict::pass();
        case Action::Reject:
            host().debug("rejected a message from " + std::string(msg.nick()) + " in " + std::string(msg.room()));
            return sdk::Verdict::reject(reason_);
        case Action::Drop:
            host().debug("dropped a message from " + std::string(msg.nick()) + " in " + std::string(msg.room()));
            return sdk::Verdict::drop();
    }
    return sdk::Verdict::pass();
}

}  // namespace chatd::plugins::filter

CHATD_PLUGIN(chatd::plugins::filter::FilterPlugin, "filter");
