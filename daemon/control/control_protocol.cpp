#include "control/control_protocol.h"

#include "json/json_reader.h"
#include "json/json_writer.h"
#include "ws/utf8.h"

namespace chatd::control {

namespace {
constexpr std::size_t kMaxRequestDepth = 8;
}

std::variant<Request, ProtocolError> parseRequest(std::string_view line) {
    if (!ws::isValidUtf8(line)) return ProtocolError{std::string(error_code::kBadRequest), "the request is not UTF-8"};
    std::string error;
    auto value = json::parse(line, error, kMaxRequestDepth);
    if (!value) return ProtocolError{std::string(error_code::kBadRequest), "not JSON: " + error};
    const json::Object* object = value->asObject();
    if (!object) return ProtocolError{std::string(error_code::kBadRequest), "a request is a JSON object"};
    Request request;
    request.args = json::Value(json::Object{});
    bool has_cmd = false;
    for (auto& [key, member] : *object) {
        if (key == "cmd" && member.isString()) {
            request.cmd = *member.asString();
            has_cmd = true;
        } else if (key == "args" && member.isObject()) {
            request.args = member;
        } else {
            return ProtocolError{std::string(error_code::kBadRequest),
                                 "unexpected member '" + key + "' (a request has a string cmd and an object args)"};
        }
    }
    if (!has_cmd) return ProtocolError{std::string(error_code::kBadRequest), "the request has no string 'cmd'"};
    return request;
}

std::string okAnswer(std::string_view result_json) {
    std::string out;
    json::ObjectWriter answer(out);
    answer.boolean("ok", true);
    answer.raw("result", result_json);
    answer.close();
    out += '\n';
    return out;
}

std::string errorAnswer(std::string_view code, std::string_view message) {
    std::string out;
    json::ObjectWriter answer(out);
    answer.boolean("ok", false);
    answer.key("error");
    json::ObjectWriter error(out);
    error.field("code", code);
    error.field("message", message);
    error.close();
    answer.close();
    out += '\n';
    return out;
}

std::string requestLine(std::string_view cmd, std::string_view args_json) {
    std::string out;
    json::ObjectWriter request(out);
    request.field("cmd", cmd);
    request.raw("args", args_json);
    request.close();
    out += '\n';
    return out;
}

}  // namespace chatd::control
