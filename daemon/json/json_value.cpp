// The JSON DOM value: typed accessors and object lookup.
#include "json/json_value.h"

namespace chatd::json {

Value Value::fromUint(std::uint64_t u) {
    Number n{static_cast<double>(u), std::nullopt};
    if (u <= kMaxExactUint) n.exact_uint = u;
    return Value(n);
}

const double* Value::asDouble() const {
    const Number* n = std::get_if<Number>(&data_);
    return n ? &n->value : nullptr;
}

std::optional<std::uint64_t> Value::asUint() const {
    const Number* n = std::get_if<Number>(&data_);
    if (!n) return std::nullopt;
    return n->exact_uint;
}

// Linear scan: protocol objects are small, and keys are unique (the reader
// rejects duplicates), so the first match is the only one.
const Value* Value::find(std::string_view key) const {
    const Object* obj = asObject();
    if (!obj) return nullptr;
    for (const auto& [name, value] : *obj) {
        if (name == key) return &value;
    }
    return nullptr;
}

}  // namespace chatd::json
