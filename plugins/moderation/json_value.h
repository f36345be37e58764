// A small strict JSON reader (RFC 8259) for what the moderation plugin reads:
// its own state file and the string claims of a token. The SDK's json.hpp
// only reads lists of strings.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::plugins::moderation {

struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string string;
    std::vector<JsonValue> array;
    std::map<std::string, JsonValue> object;

    // The member `key` of an object, or nullptr (also for a non-object).
    const JsonValue* find(const std::string& key) const;
};

// Parses one JSON document; throws std::invalid_argument naming the offset.
JsonValue parseJson(std::string_view text);

// The string member `claim` of a claims object; "" when absent, not a string,
// or when `claims_json` is not a JSON object.
std::string stringClaim(std::string_view claims_json, const std::string& claim);

}  // namespace chatd::plugins::moderation
