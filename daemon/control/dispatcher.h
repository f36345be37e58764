// Dispatcher: the control commands by name. Each command is one handler,
// registered once at start; a request names one and gets its answer line.
// Handlers run on the control thread, one request at a time.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_value.h"

namespace chatd::control {

// What a handler returns: an encoded JSON result, or an error code and message.
struct Outcome {
    bool ok = true;
    std::string result_json = "{}";
    std::string code;
    std::string message;

    static Outcome success(std::string result_json) { return {true, std::move(result_json), {}, {}}; }
    static Outcome failure(std::string_view code, std::string message) {
        return {false, {}, std::string(code), std::move(message)};
    }
};

// Who sent a request, for the log lines of commands that act.
struct Caller {
    std::string description;  // "uid 0 pid 42"
};

using Handler = std::function<Outcome(const json::Value& args, const Caller& caller)>;

class Dispatcher {
public:
    // Registers `name`; a second handler for one name replaces the first.
    void add(std::string name, Handler handler);
    // Parses one request line and answers it (the answer ends in '\n'). A
    // handler that throws answers error "internal"; nothing escapes.
    std::string answer(std::string_view line, const Caller& caller) const;
    std::vector<std::string> names() const;

private:
    std::map<std::string, Handler, std::less<>> handlers_;
};

// Argument helpers for handlers: the string member `key` of `args`, or
// nullopt when it is absent; throws BadArgs when it is there but not a string.
struct BadArgs {
    std::string message;
};
std::optional<std::string> stringArg(const json::Value& args, std::string_view key);

}  // namespace chatd::control
