// JSON writer: string escaping plus small append-only builders for objects and
// arrays, used on the hot path (each broadcast is encoded once) without a DOM.
//
// Builders append to a caller-owned std::string. Nest by calling key() and
// then opening an ObjectWriter/ArrayWriter on the same string, or by raw().
//
//     std::string out;
//     json::ObjectWriter o(out);
//     o.field("type", "message");
//     o.field("seq", seq);
//     o.key("users");
//     json::ArrayWriter users(out);
//     users.string("ann");
//     users.close();
//     o.close();                     // out == {"type":"message","seq":7,"users":["ann"]}
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "json/json_value.h"

namespace chatd::json {

// Appends `utf8` as a quoted JSON string. Escapes '"', '\\', control
// characters (\b \f \n \r \t in short form, the rest as \u00XX) and U+2028 /
// U+2029 (so the output is also a valid JavaScript literal). Other bytes are
// copied as they are; the input must be valid UTF-8.
void appendString(std::string& out, std::string_view utf8);

// Appends a decimal integer.
void appendInt(std::string& out, std::int64_t v);
void appendUint(std::string& out, std::uint64_t v);

// Serialises a DOM value compactly (no spaces). Non-finite doubles become null.
void appendValue(std::string& out, const Value& v);
std::string write(const Value& v);

// Shared comma bookkeeping for the two builders.
class ContainerWriter {
protected:
    ContainerWriter(std::string& out, char open) : out_(out) { out_ += open; }
    void separate() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    std::string& out_;

private:
    bool first_ = true;
};

// Writes one JSON object: '{' at construction, '}' at close().
class ObjectWriter : private ContainerWriter {
public:
    explicit ObjectWriter(std::string& out) : ContainerWriter(out, '{') {}

    // Writes `"key":` (with a leading comma when needed); the caller then
    // appends exactly one value, e.g. through a nested builder.
    ObjectWriter& key(std::string_view k);

    ObjectWriter& field(std::string_view k, std::string_view str);
    // Integers of any width and signedness (bool excluded: use boolean()).
    template <std::integral T>
    requires(!std::same_as<T, bool>) ObjectWriter& field(std::string_view k, T v) {
        key(k);
        if constexpr (std::is_signed_v<T>)
            appendInt(out_, v);
        else
            appendUint(out_, v);
        return *this;
    }
    ObjectWriter& boolean(std::string_view k, bool v);
    ObjectWriter& null(std::string_view k);
    // Writes the member only when `str` holds a value.
    ObjectWriter& optionalField(std::string_view k, std::optional<std::string_view> str);
    // Splices already-encoded JSON verbatim as the member's value.
    ObjectWriter& raw(std::string_view k, std::string_view json);

    void close() { out_ += '}'; }
};

// Writes one JSON array: '[' at construction, ']' at close().
class ArrayWriter : private ContainerWriter {
public:
    explicit ArrayWriter(std::string& out) : ContainerWriter(out, '[') {}

    // Starts the next element; the caller appends exactly one value.
    ArrayWriter& next();

    ArrayWriter& string(std::string_view str);
    template <std::integral T>
    requires(!std::same_as<T, bool>) ArrayWriter& number(T v) {
        next();
        if constexpr (std::is_signed_v<T>)
            appendInt(out_, v);
        else
            appendUint(out_, v);
        return *this;
    }
    ArrayWriter& boolean(bool v);
    // Splices already-encoded JSON verbatim as the next element.
    ArrayWriter& raw(std::string_view json);

    void close() { out_ += ']'; }
};

}  // namespace chatd::json
