// Strict recursive-descent JSON reader; recursion is bounded by max_depth.
#include "json/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "chatd/detail/utf8.hpp"

namespace chatd::json {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

using sdk::detail::appendUtf8;

// Printable form of one input byte for error messages: 'x' or 0xNN.
std::string describeByte(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
    static const char* hex = "0123456789ABCDEF";
    return std::string("0x") + hex[u >> 4] + hex[u & 0xF];
}

class Parser {
public:
    Parser(std::string_view text, std::size_t max_depth, std::string& error)
        : s_(text), max_depth_(max_depth), error_(error) {}

    std::optional<Value> run() {
        Value v;
        skipSpace();
        if (!parseValue(v, 0)) return std::nullopt;
        skipSpace();
        if (pos_ != s_.size()) {
            fail("unexpected " + describeByte(s_[pos_]) + " after the value");
            return std::nullopt;
        }
        return v;
    }

private:
    bool fail(const std::string& what) {
        error_ = what + " at offset " + std::to_string(pos_);
        return false;
    }
    bool atEnd() const { return pos_ >= s_.size(); }
    bool failUnexpected() {
        if (atEnd()) return fail("unexpected end of input");
        return fail("unexpected " + describeByte(s_[pos_]));
    }
    bool expect(char c) {
        if (!atEnd() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        if (atEnd()) return fail(std::string("expected '") + c + "', got end of input");
        return fail(std::string("expected '") + c + "'");
    }
    void skipSpace() {
        while (!atEnd()) {
            char c = s_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    bool parseValue(Value& out, std::size_t depth) {
        if (atEnd()) return failUnexpected();
        switch (s_[pos_]) {
            case '{':
                return parseObject(out, depth + 1);
            case '[':
                return parseArray(out, depth + 1);
            case '"': {
                std::string str;
                if (!parseString(str)) return false;
                out = Value(std::move(str));
                return true;
            }
            case 't':
                return parseLiteral("true", Value(true), out);
            case 'f':
                return parseLiteral("false", Value(false), out);
            case 'n':
                return parseLiteral("null", Value(), out);
            default:
                if (s_[pos_] == '-' || isDigit(s_[pos_])) return parseNumber(out);
                return failUnexpected();
        }
    }

    bool parseLiteral(std::string_view word, Value value, Value& out) {
        if (s_.substr(pos_, word.size()) != word) return fail("invalid literal");
        pos_ += word.size();
        out = std::move(value);
        return true;
    }

    bool enterContainer(std::size_t depth) {
        if (depth > max_depth_) return fail("nesting deeper than " + std::to_string(max_depth_));
        ++pos_;  // the '[' or '{'
        skipSpace();
        return true;
    }

    bool parseArray(Value& out, std::size_t depth) {
        if (!enterContainer(depth)) return false;
        Array items;
        if (!atEnd() && s_[pos_] == ']') {
            ++pos_;
            out = Value(std::move(items));
            return true;
        }
        for (;;) {
            Value item;
            if (!parseValue(item, depth)) return false;
            items.push_back(std::move(item));
            skipSpace();
            if (atEnd()) return fail("expected ',' or ']', got end of input");
            if (s_[pos_] == ']') break;
            if (s_[pos_] != ',') return fail("expected ',' or ']'");
            ++pos_;
            skipSpace();
        }
        ++pos_;
        out = Value(std::move(items));
        return true;
    }

    bool parseObject(Value& out, std::size_t depth) {
        const std::size_t start = pos_;
        if (!enterContainer(depth)) return false;
        Object members;
        if (!atEnd() && s_[pos_] == '}') {
            ++pos_;
            out = Value(std::move(members));
            return true;
        }
        for (;;) {
            if (atEnd() || s_[pos_] != '"') return fail("expected a string key");
            std::string key;
            if (!parseString(key)) return false;
            skipSpace();
            if (!expect(':')) return false;
            skipSpace();
            Value value;
            if (!parseValue(value, depth)) return false;
            members.emplace_back(std::move(key), std::move(value));
            skipSpace();
            if (atEnd()) return fail("expected ',' or '}', got end of input");
            if (s_[pos_] == '}') break;
            if (s_[pos_] != ',') return fail("expected ',' or '}'");
            ++pos_;
            skipSpace();
        }
        ++pos_;
        if (!checkUniqueKeys(members, start)) return false;
        out = Value(std::move(members));
        return true;
    }

    // Sorting views of the keys keeps this O(n log n) for hostile objects.
    bool checkUniqueKeys(const Object& members, std::size_t object_start) {
        std::vector<std::string_view> keys;
        keys.reserve(members.size());
        for (const auto& m : members) keys.emplace_back(m.first);
        std::sort(keys.begin(), keys.end());
        auto dup = std::adjacent_find(keys.begin(), keys.end());
        if (dup == keys.end()) return true;
        pos_ = object_start;
        std::string shown(dup->substr(0, 32));
        return fail("duplicate key \"" + shown + (dup->size() > 32 ? "...\"" : "\"") + " in object");
    }

    bool parseHex4(std::uint32_t& out) {
        if (s_.size() - pos_ < 4) return fail("truncated \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            char c = s_[pos_ + i];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= static_cast<std::uint32_t>(c - 'A' + 10);
            else
                return fail("invalid hex digit in \\u escape");
        }
        pos_ += 4;
        return true;
    }

    // Called with pos_ just after "\u"; joins surrogate pairs.
    bool parseUnicodeEscape(std::string& out) {
        const std::size_t escape_start = pos_ - 2;
        std::uint32_t cp = 0;
        if (!parseHex4(cp)) return false;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            pos_ = escape_start;
            return fail("lone low surrogate in \\u escape");
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (s_.substr(pos_, 2) != "\\u") {
                pos_ = escape_start;
                return fail("lone high surrogate in \\u escape");
            }
            pos_ += 2;
            if (!parseHex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) {
                pos_ = escape_start;
                return fail("high surrogate not followed by a low surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, cp);
        return true;
    }

    bool parseString(std::string& out) {
        ++pos_;  // opening quote
        for (;;) {
            std::size_t run = pos_;
            while (run < s_.size()) {
                auto u = static_cast<unsigned char>(s_[run]);
                if (u == '"' || u == '\\' || u < 0x20) break;
                ++run;
            }
            out.append(s_.data() + pos_, run - pos_);
            pos_ = run;
            if (atEnd()) return fail("unterminated string");
            char c = s_[pos_];
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c != '\\') return fail("control character " + describeByte(c) + " in string");
            if (s_.size() - pos_ < 2) {
                ++pos_;
                return fail("unterminated string");
            }
            char e = s_[pos_ + 1];
            pos_ += 2;
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u':
                    if (!parseUnicodeEscape(out)) return false;
                    break;
                default:
                    pos_ -= 2;
                    return fail("invalid escape \\" + describeByte(e));
            }
        }
    }

    // Grammar first (so errors are precise), then conversion.
    bool parseNumber(Value& out) {
        const std::size_t start = pos_;
        bool plain_uint = true;
        if (s_[pos_] == '-') {
            plain_uint = false;
            ++pos_;
        }
        if (atEnd() || !isDigit(s_[pos_])) return fail("expected a digit");
        if (s_[pos_] == '0') {
            ++pos_;
            if (!atEnd() && isDigit(s_[pos_])) return fail("leading zero in number");
        } else {
            while (!atEnd() && isDigit(s_[pos_])) ++pos_;
        }
        if (!atEnd() && s_[pos_] == '.') {
            plain_uint = false;
            ++pos_;
            if (atEnd() || !isDigit(s_[pos_])) return fail("expected a digit after '.'");
            while (!atEnd() && isDigit(s_[pos_])) ++pos_;
        }
        if (!atEnd() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            plain_uint = false;
            ++pos_;
            if (!atEnd() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (atEnd() || !isDigit(s_[pos_])) return fail("expected a digit in exponent");
            while (!atEnd() && isDigit(s_[pos_])) ++pos_;
        }
        const char* first = s_.data() + start;
        const char* last = s_.data() + pos_;
        Number n;
        auto [ptr, ec] = std::from_chars(first, last, n.value, std::chars_format::general);
        if (ec != std::errc() || ptr != last) {
            pos_ = start;
            return fail("number out of range");
        }
        if (plain_uint) {
            std::uint64_t u = 0;
            auto [uptr, uec] = std::from_chars(first, last, u);
            if (uec == std::errc() && uptr == last && u <= Value::kMaxExactUint) n.exact_uint = u;
        }
        out = Value(n);
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::size_t max_depth_;
    std::string& error_;
};

}  // namespace

std::optional<Value> parse(std::string_view text, std::string& error, std::size_t max_depth) {
    return Parser(text, max_depth, error).run();
}

}  // namespace chatd::json
