// JSON writer: escaping, integer formatting, DOM serialisation and builders.
#include "json/json_writer.h"

#include <charconv>
#include <cmath>

namespace chatd::json {
namespace {

// True for bytes that cannot be copied as they are. 0xE2 is the lead byte of
// U+2028 / U+2029 and is examined in context.
bool needsAttention(unsigned char u) { return u == '"' || u == '\\' || u < 0x20 || u == 0xE2; }

void appendControl(std::string& out, unsigned char u) {
    switch (u) {
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default: {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
}

void appendDouble(std::string& out, double d) {
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, ptr);
}

}  // namespace

void appendString(std::string& out, std::string_view utf8) {
    out += '"';
    std::size_t i = 0;
    const std::size_t n = utf8.size();
    while (i < n) {
        std::size_t run = i;
        while (run < n && !needsAttention(static_cast<unsigned char>(utf8[run]))) ++run;
        out.append(utf8.data() + i, run - i);
        i = run;
        if (i == n) break;
        auto u = static_cast<unsigned char>(utf8[i]);
        if (u == 0xE2) {
            // U+2028 is E2 80 A8, U+2029 is E2 80 A9.
            if (i + 2 < n && static_cast<unsigned char>(utf8[i + 1]) == 0x80 &&
                (static_cast<unsigned char>(utf8[i + 2]) & 0xFE) == 0xA8) {
                out += utf8[i + 2] == static_cast<char>(0xA8) ? "\\u2028" : "\\u2029";
                i += 3;
            } else {
                out += utf8[i++];
            }
        } else if (u == '"') {
            out += "\\\"";
            ++i;
        } else if (u == '\\') {
            out += "\\\\";
            ++i;
        } else {
            appendControl(out, u);
            ++i;
        }
    }
    out += '"';
}

void appendInt(std::string& out, std::int64_t v) {
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ptr);
}

void appendUint(std::string& out, std::uint64_t v) {
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ptr);
}

void appendValue(std::string& out, const Value& v) {
    switch (v.kind()) {
        case Value::Kind::Null:
            out += "null";
            return;
        case Value::Kind::Bool:
            out += *v.asBool() ? "true" : "false";
            return;
        case Value::Kind::Number:
            if (auto u = v.asUint())
                appendUint(out, *u);
            else
                appendDouble(out, *v.asDouble());
            return;
        case Value::Kind::String:
            appendString(out, *v.asString());
            return;
        case Value::Kind::Array: {
            ArrayWriter a(out);
            for (const Value& item : *v.asArray()) {
                a.next();
                appendValue(out, item);
            }
            a.close();
            return;
        }
        case Value::Kind::Object: {
            ObjectWriter o(out);
            for (const auto& [name, member] : *v.asObject()) {
                o.key(name);
                appendValue(out, member);
            }
            o.close();
            return;
        }
    }
}

std::string write(const Value& v) {
    std::string out;
    appendValue(out, v);
    return out;
}

ObjectWriter& ObjectWriter::key(std::string_view k) {
    separate();
    appendString(out_, k);
    out_ += ':';
    return *this;
}

ObjectWriter& ObjectWriter::field(std::string_view k, std::string_view str) {
    key(k);
    appendString(out_, str);
    return *this;
}

ObjectWriter& ObjectWriter::boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
    return *this;
}

ObjectWriter& ObjectWriter::null(std::string_view k) {
    key(k);
    out_ += "null";
    return *this;
}

ObjectWriter& ObjectWriter::optionalField(std::string_view k, std::optional<std::string_view> str) {
    if (str) field(k, *str);
    return *this;
}

ObjectWriter& ObjectWriter::raw(std::string_view k, std::string_view json) {
    key(k);
    out_ += json;
    return *this;
}

ArrayWriter& ArrayWriter::next() {
    separate();
    return *this;
}

ArrayWriter& ArrayWriter::string(std::string_view str) {
    next();
    appendString(out_, str);
    return *this;
}

ArrayWriter& ArrayWriter::boolean(bool v) {
    next();
    out_ += v ? "true" : "false";
    return *this;
}

ArrayWriter& ArrayWriter::raw(std::string_view json) {
    next();
    out_ += json;
    return *this;
}

}  // namespace chatd::json
