// Where a client's token travels in the upgrade request, and keeping it out
// of logs. Browsers cannot set headers on a WebSocket, so the page passes
// ?token=...; other clients may send "Authorization: Bearer ..." instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::auth {

// The first `token` query parameter of the request target (percent-decoded),
// else the credentials of an "Authorization: Bearer <token>" value; nullopt
// when there is neither. An empty ?token= counts as present (and fails).
std::optional<std::string> requestToken(std::string_view target, std::string_view authorization);

// `target` with the value of every `token` parameter replaced by "REDACTED":
// what request logs may show. Tokens are credentials until they expire.
std::string redactToken(std::string_view target);

}  // namespace chatd::auth
