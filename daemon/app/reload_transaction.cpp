#include "app/reload_transaction.h"

#include <spdlog/spdlog.h>

#include "app/service_notifier.h"

namespace chatd::app {

ReloadTransaction::ReloadTransaction(server::Server& server, ServiceNotifier& notifier,
                                     std::function<config::LoadResult()> load)
    : server_(server), notifier_(notifier), load_(std::move(load)) {}

server::ReloadResult ReloadTransaction::run(std::string_view trigger) {
    const std::lock_guard lock(mutex_);
    const std::string source = server_.config()->source;
    spdlog::info("{}: reloading {}", trigger, source);
    notifier_.reloading("reloading " + source);
    server::ReloadResult result;
    config::LoadResult loaded = load_();
    if (!loaded.ok()) {
        for (const auto& error : loaded.errors) {
            spdlog::error("{}", error.format());
            result.messages.push_back(error.format());
        }
        spdlog::error("reload refused: the configuration has errors (logged above); the old one stays");
    } else {
        result = server_.reload(std::move(*loaded.config));
        for (const auto& message : result.messages)
            result.applied ? spdlog::warn("reload: {}", message) : spdlog::error("reload refused: {}", message);
    }
    if (result.applied) {
        ++applied_;
        std::string changed;
        for (const auto& key : result.changed) changed += (changed.empty() ? "" : ", ") + key;
        spdlog::info("reload applied (changed: {})", changed.empty() ? "nothing" : changed);
    } else {
        ++refused_;
    }
    notifier_.ready(statusLineLocked());
    return result;
}

std::string ReloadTransaction::statusLine() const {
    const std::lock_guard lock(mutex_);
    return statusLineLocked();
}

std::string ReloadTransaction::statusLineLocked() const {
    return "serving " + server_.url() + " with " + std::to_string(server_.config()->plugins.size()) +
           " plugins; reloads: " + std::to_string(applied_) + " applied, " + std::to_string(refused_) + " refused";
}

}  // namespace chatd::app
