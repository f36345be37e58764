// The control socket's wire format (docs/operations.md, "The control socket"):
// one request per line, {"cmd":"NAME","args":{...}}, one answer per line,
// {"ok":true,"result":{...}} or {"ok":false,"error":{"code":"...","message":"..."}}.
// Shared by the daemon and chatdctl.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "json/json_value.h"

namespace chatd::control {

// The longest request line the daemon reads (without its '\n').
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

// The error codes an answer carries.
namespace error_code {
inline constexpr std::string_view kBadRequest = "bad_request";          // not JSON, no cmd, args not an object
inline constexpr std::string_view kTooLong = "too_long";                // a line over kMaxRequestBytes
inline constexpr std::string_view kUnknownCommand = "unknown_command";  // cmd names no command
inline constexpr std::string_view kBadArgs = "bad_args";                // a missing or malformed argument
inline constexpr std::string_view kNotFound = "not_found";              // no such session
inline constexpr std::string_view kRefused = "refused";                 // e.g. a reload the daemon refused
inline constexpr std::string_view kForbidden = "forbidden";             // the peer may not use the socket
inline constexpr std::string_view kInternal = "internal";               // a command failed unexpectedly
}  // namespace error_code

struct Request {
    std::string cmd;
    json::Value args;  // always an object (empty when the request had none)
};

struct ProtocolError {
    std::string code;
    std::string message;
};

// Parses one request line (without its '\n'): valid UTF-8, one JSON object
// with a string "cmd" and an optional object "args", nothing else.
std::variant<Request, ProtocolError> parseRequest(std::string_view line);

// One answer line each, '\n' included. `result_json` is an encoded JSON value.
std::string okAnswer(std::string_view result_json);
std::string errorAnswer(std::string_view code, std::string_view message);

// One request line, '\n' included (chatdctl). `args_json` is an encoded object.
std::string requestLine(std::string_view cmd, std::string_view args_json);

}  // namespace chatd::control
