#include "control/dispatcher.h"

#include <spdlog/spdlog.h>

#include "control/control_protocol.h"
#include "util/log_text.h"

namespace chatd::control {

void Dispatcher::add(std::string name, Handler handler) { handlers_[std::move(name)] = std::move(handler); }

std::vector<std::string> Dispatcher::names() const {
    std::vector<std::string> names;
    for (const auto& [name, handler] : handlers_) names.push_back(name);
    return names;
}

std::string Dispatcher::answer(std::string_view line, const Caller& caller) const {
    auto parsed = parseRequest(line);
    if (auto* error = std::get_if<ProtocolError>(&parsed)) return errorAnswer(error->code, error->message);
    const Request& request = std::get<Request>(parsed);
    const auto handler = handlers_.find(request.cmd);
    if (handler == handlers_.end()) {
        std::string known;
        for (const auto& [name, ignored] : handlers_) known += (known.empty() ? "" : ", ") + name;
        return errorAnswer(error_code::kUnknownCommand, "no command '" + request.cmd + "' (commands: " + known + ")");
    }
    try {
        const Outcome outcome = handler->second(request.args, caller);
        return outcome.ok ? okAnswer(outcome.result_json) : errorAnswer(outcome.code, outcome.message);
    } catch (const BadArgs& bad) {
        return errorAnswer(error_code::kBadArgs, bad.message);
    } catch (const std::exception& error) {
        spdlog::error("control: command '{}' failed: {}", util::LogText{request.cmd}, error.what());
        return errorAnswer(error_code::kInternal, std::string("the command failed: ") + error.what());
    } catch (...) {
        spdlog::error("control: command '{}' failed", util::LogText{request.cmd});
        return errorAnswer(error_code::kInternal, "the command failed");
    }
}

std::optional<std::string> stringArg(const json::Value& args, std::string_view key) {
    const json::Value* member = args.find(key);
    if (!member || member->isNull()) return std::nullopt;
    if (!member->isString()) throw BadArgs{"argument '" + std::string(key) + "' must be a string"};
    return *member->asString();
}

}  // namespace chatd::control
