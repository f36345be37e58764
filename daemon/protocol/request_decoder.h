// Decodes one chatd.v1 JSON text frame into a typed request, or into the
// error the server sends back (see requests.h for the request shapes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "protocol/requests.h"

namespace chatd::protocol {

inline constexpr std::size_t kMaxIdCodePoints = 64;

// A well-formed request and the client's "id", if it sent one.
struct DecodedRequest {
    Request request;
    std::optional<std::string> id;
};

// Why a frame was refused. code is "bad_request" (not JSON, not an object,
// missing/unknown "type", wrong field types, bad "id", empty text),
// "invalid_nick" or "invalid_room". id is echoed when it could be read.
struct RequestError {
    std::string code;
    std::string reason;
    std::optional<std::string> id;
};

// Type errors are reported before value errors: a join with a malformed
// "since" and an invalid room is a bad_request, not an invalid_room.
std::variant<DecodedRequest, RequestError> decodeRequest(std::string_view frame_text);

}  // namespace chatd::protocol
