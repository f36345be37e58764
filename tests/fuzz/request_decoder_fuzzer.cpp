// libFuzzer target: the chatd.v1 request decoder (protocol/request_decoder)
// over the strict JSON reader (json/json_reader), plus the JSON writer and
// the event encoder on whatever the decoder lets through.
//
// Input: the payload of one text frame (any bytes; the properties that need
// valid UTF-8 input, which the WebSocket layer guarantees, are only checked
// for valid UTF-8 input). Checks, besides the sanitizers:
//   - a parsed document nests at most json::kDefaultMaxDepth deep, and written
//     back with json::write it parses again to the same value (and the same
//     text when written a second time);
//   - with UTF-8 input, every string in the DOM, every error reason and every
//     encoded answer is valid UTF-8, and every answer is itself valid JSON;
//   - a decoded request satisfies the documented rules (names valid, text
//     non-empty, history limit 1-100, id at most 64 code points); an error
//     has a known code.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>

#include "json/json_reader.h"
#include "json/json_writer.h"
#include "protocol/event_encoder.h"
#include "protocol/names.h"
#include "protocol/request_decoder.h"
#include "ws/utf8.h"

namespace {

using namespace chatd;
using json::Value;

void check(bool ok) {
    if (!ok) std::abort();
}

// Equal as JSON values: numbers compare by their double (the writer may turn
// 1e2 into 100), bit for bit so that -0 and 0 stay apart.
bool sameValue(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
        case Value::Kind::Null:
            return true;
        case Value::Kind::Bool:
            return *a.asBool() == *b.asBool();
        case Value::Kind::Number:
            return std::memcmp(a.asDouble(), b.asDouble(), sizeof(double)) == 0;
        case Value::Kind::String:
            return *a.asString() == *b.asString();
        case Value::Kind::Array: {
            const json::Array& x = *a.asArray();
            const json::Array& y = *b.asArray();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (!sameValue(x[i], y[i])) return false;
            return true;
        }
        case Value::Kind::Object: {
            const json::Object& x = *a.asObject();
            const json::Object& y = *b.asObject();
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i)
                if (x[i].first != y[i].first || !sameValue(x[i].second, y[i].second)) return false;
            return true;
        }
    }
    return false;
}

// Nesting depth (a scalar is 0) and, with utf8_input, UTF-8 of every string.
std::size_t checkTree(const Value& v, bool utf8_input) {
    if (const std::string* s = v.asString()) check(!utf8_input || ws::isValidUtf8(*s));
    if (const double* d = v.asDouble()) check(std::isfinite(*d));
    std::size_t deepest = 0;
    if (const json::Array* items = v.asArray()) {
        for (const Value& item : *items) deepest = std::max(deepest, checkTree(item, utf8_input));
        return deepest + 1;
    }
    if (const json::Object* members = v.asObject()) {
        for (const auto& [key, member] : *members) {
            check(!utf8_input || ws::isValidUtf8(key));
            deepest = std::max(deepest, checkTree(member, utf8_input));
        }
        return deepest + 1;
    }
    return 0;
}

// An encoded answer must be one valid JSON object (UTF-8 when the input was).
void checkAnswer(const std::string& encoded, bool utf8_input) {
    std::string error;
    const auto parsed = json::parse(encoded, error);
    check(parsed.has_value() && parsed->isObject());
    check(!utf8_input || ws::isValidUtf8(encoded));
}

void checkJsonRoundTrip(std::string_view text, bool utf8_input) {
    std::string error;
    const auto value = json::parse(text, error);
    if (!value) {
        check(!error.empty());
        return;
    }
    check(checkTree(*value, utf8_input) <= json::kDefaultMaxDepth);
    const std::string written = json::write(*value);
    std::string again_error;
    const auto again = json::parse(written, again_error);
    check(again.has_value() && sameValue(*value, *again));
    check(json::write(*again) == written);
}

void checkRequest(const protocol::DecodedRequest& decoded, bool utf8_input) {
    if (decoded.id) {
        std::size_t code_points = 0;
        for (char c : *decoded.id) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        check(code_points <= protocol::kMaxIdCodePoints);
    }
    const std::optional<std::string_view> id = protocol::optionalView(decoded.id);
    if (const auto* join = std::get_if<protocol::JoinRequest>(&decoded.request)) {
        check(!join->room || protocol::isValidRoom(*join->room));
        check(!join->nick || protocol::isValidNick(*join->nick));
        check(!join->since || join->since->seq <= Value::kMaxExactUint);
    } else if (const auto* message = std::get_if<protocol::MessageRequest>(&decoded.request)) {
        check(!message->text.empty());
        // Echo the text as the broadcast would; it must come back unchanged.
        protocol::ChatMessage chat{"lobby", "e1", 1, 0, "guest-1", message->text, id, {}};
        const std::string encoded = protocol::encodeMessage(chat);
        checkAnswer(encoded, utf8_input);
        std::string error;
        const auto parsed = json::parse(encoded, error);
        check(parsed->find("text")->asString() && *parsed->find("text")->asString() == message->text);
    } else if (const auto* history = std::get_if<protocol::HistoryRequest>(&decoded.request)) {
        check(history->limit >= 1 && history->limit <= protocol::HistoryRequest::kMaxLimit);
        check(!history->before || *history->before <= Value::kMaxExactUint);
        // The answer an empty page gets must be valid JSON that echoes the id.
        checkAnswer(protocol::encodeHistory("lobby", "e1", {}, false, id), utf8_input);
    } else if (const auto* users = std::get_if<protocol::UsersRequest>(&decoded.request)) {
        check(users->limit >= 1 && users->limit <= protocol::UsersRequest::kMaxLimit);
        // An empty page echoing `after` as `next` and the id must be valid JSON.
        const protocol::UsersPage page{.room = "lobby",
                                       .users = {},
                                       .next = protocol::optionalView(users->after),
                                       .count = 0,
                                       .id = id};
        checkAnswer(protocol::encodeUsers(page), utf8_input);
    } else {
        check(protocol::isValidNick(std::get<protocol::NickRequest>(decoded.request).nick));
    }
}

void checkError(const protocol::RequestError& failure, bool utf8_input) {
    check(failure.code == protocol::error_code::kBadRequest || failure.code == protocol::error_code::kInvalidNick ||
          failure.code == protocol::error_code::kInvalidRoom);
    check(!failure.reason.empty());
    check(!utf8_input || ws::isValidUtf8(failure.reason));
    const std::optional<std::string_view> id = protocol::optionalView(failure.id);
    checkAnswer(protocol::encodeError(failure.code, failure.reason, id), utf8_input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const bool utf8_input = ws::isValidUtf8(text);
    checkJsonRoundTrip(text, utf8_input);
    const auto result = protocol::decodeRequest(text);
    if (const auto* decoded = std::get_if<protocol::DecodedRequest>(&result))
        checkRequest(*decoded, utf8_input);
    else
        checkError(std::get<protocol::RequestError>(result), utf8_input);
    return 0;
}
