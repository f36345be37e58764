// shout: upper-cases every message and appends the configured suffix.
#pragma once

#include <string>

#include <chatd/config.hpp>
#include <chatd/plugin.hpp>

class Shout : public chatd::sdk::Plugin {
public:
    void init(const YAML::Node& config) override {
        chatd::sdk::config::checkKeys(config, {"suffix"});
        suffix_ = chatd::sdk::config::get<std::string>(config, "suffix", "!");
    }

    chatd::sdk::Verdict onMessage(chatd::sdk::Message& msg) override {
        std::string text(msg.text());
        for (char& c : text)
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        msg.setText(text + suffix_);
        return chatd::sdk::Verdict::pass();
    }

private:
    std::string suffix_;
};
