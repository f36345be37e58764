// A small JSON DOM: the value type produced by json::parse and consumed by the
// protocol decoder. Objects keep their members in document order; the reader
// rejects duplicate keys, so find() never has to choose between two members.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace chatd::json {

class Value;

using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;

// A JSON number: its double value, plus the exact integer when it was written
// as a plain non-negative integer literal (digits only) no greater than 2^53.
struct Number {
    double value = 0.0;
    std::optional<std::uint64_t> exact_uint;
    friend bool operator==(const Number&, const Number&) = default;
};

class Value {
public:
    // GCC 12's -Wshadow takes the scoped enumerators Array and Object for
    // shadows of the aliases above, although they can only be named as Kind::X.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
    enum class Kind { Null, Bool, Number, String, Array, Object };
#pragma GCC diagnostic pop

    // Largest integer asUint() reports: every integer up to it is exact in a double.
    static constexpr std::uint64_t kMaxExactUint = std::uint64_t{1} << 53;

    Value() = default;  // null
    explicit Value(std::nullptr_t) {}
    explicit Value(bool b) : data_(b) {}
    explicit Value(double d) : data_(Number{d, std::nullopt}) {}
    explicit Value(Number n) : data_(n) {}
    explicit Value(std::string s) : data_(std::move(s)) {}
    explicit Value(Array a) : data_(std::move(a)) {}
    explicit Value(Object o) : data_(std::move(o)) {}
    // An integer value; asUint() reports it when it is <= kMaxExactUint.
    static Value fromUint(std::uint64_t u);

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool isNull() const { return kind() == Kind::Null; }
    bool isBool() const { return kind() == Kind::Bool; }
    bool isNumber() const { return kind() == Kind::Number; }
    bool isString() const { return kind() == Kind::String; }
    bool isArray() const { return kind() == Kind::Array; }
    bool isObject() const { return kind() == Kind::Object; }

    // Typed access: nullptr when the value is of another kind.
    const bool* asBool() const { return std::get_if<bool>(&data_); }
    const double* asDouble() const;
    const std::string* asString() const { return std::get_if<std::string>(&data_); }
    const Array* asArray() const { return std::get_if<Array>(&data_); }
    const Object* asObject() const { return std::get_if<Object>(&data_); }

    // The exact integer, for numbers written as a plain non-negative integer
    // literal <= 2^53 ("1.0", "1e2" and "-0" give nullopt), or built by fromUint.
    std::optional<std::uint64_t> asUint() const;

    // Object member lookup by key; nullptr when absent or when this is not an object.
    const Value* find(std::string_view key) const;

    friend bool operator==(const Value&, const Value&) = default;

private:
    std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> data_{nullptr};
};

}  // namespace chatd::json
