// The little JSON the plugin SDK needs, with no JSON library: reading the
// arguments of an operator's command (a JSON list of strings, what on_control
// receives) and writing strings into the JSON answer a plugin returns.
//
//   json::quote("say \"hi\"")           -> "\"say \\\"hi\\\"\""
//   json::stringList({"a", "b"})        -> "[\"a\",\"b\"]"
//   json::parseStringList("[\"a\"]")    -> {"a"}; throws std::invalid_argument
//                                          on anything else (strict RFC 8259)
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "chatd/detail/utf8.hpp"

namespace chatd::sdk::json {

// `text` as a JSON string literal (quotes included). Control characters,
// quotes and backslashes are escaped; other bytes are copied as they are, so
// pass valid UTF-8.
// Appends `text` as a JSON string literal: runs of plain characters are
// copied at once; quotes, backslashes and control characters are escaped.
inline void appendQuoted(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto plain = [](unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c != 0x7F; };
    out += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (plain(c)) continue;
        out.append(text.substr(run, i - run));
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
        }
    }
    out.append(text.substr(run));
    out += '"';
}

inline std::string quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    appendQuoted(out, text);
    return out;
}

// A JSON list of strings: ["a","b"].
inline std::string stringList(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ",") + quote(items[i]);
    return out + "]";
}

namespace detail {

// A strict reader of one JSON list of strings; every error names the offset.
class StringListReader {
public:
    explicit StringListReader(std::string_view text) : text_(text) {}

    std::vector<std::string> read() {
        std::vector<std::string> items;
        skipSpace();
        expect('[');
        skipSpace();
        if (peek() == ']') {
            ++pos_;
        } else {
            for (;;) {
                skipSpace();
                items.push_back(readString());
                skipSpace();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                expect(']');
                break;
            }
        }
        skipSpace();
        if (pos_ != text_.size()) fail("text after the list");
        return items;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument("not a JSON list of strings: " + what + " at offset " + std::to_string(pos_));
    }
    int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }
    void expect(char c) {
        if (peek() != static_cast<unsigned char>(c)) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    void skipSpace() {
        while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++pos_;
    }

    std::string readString() {
        expect('"');
        std::string out;
        for (;;) {
            const int c = peek();
            if (c < 0) fail("unterminated string");
            ++pos_;
            if (c == '"') break;
            if (c < 0x20) fail("control character in a string");
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            readEscape(out);
        }
        if (!chatd::sdk::detail::isValidUtf8(out)) fail("invalid UTF-8 in a string");
        return out;
    }

    void readEscape(std::string& out) {
        const int c = peek();
        ++pos_;
        switch (c) {
            case '"':
                out += '"';
                return;
            case '\\':
                out += '\\';
                return;
            case '/':
                out += '/';
                return;
            case 'b':
                out += '\b';
                return;
            case 'f':
                out += '\f';
                return;
            case 'n':
                out += '\n';
                return;
            case 'r':
                out += '\r';
                return;
            case 't':
                out += '\t';
                return;
            case 'u':
                sdk::detail::appendUtf8(out, readCodePoint());
                return;
            default:
                fail("invalid escape");
        }
    }

    // \uXXXX (the 'u' read), joining a surrogate pair into one code point.
    std::uint32_t readCodePoint() {
        const std::uint32_t first = readHex4();
        if (first >= 0xDC00 && first <= 0xDFFF) fail("lone low surrogate");
        if (first < 0xD800 || first > 0xDBFF) return first;
        if (peek() != '\\') fail("lone high surrogate");
        ++pos_;
        expect('u');
        const std::uint32_t second = readHex4();
        if (second < 0xDC00 || second > 0xDFFF) fail("lone high surrogate");
        return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
    }

    std::uint32_t readHex4() {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const int c = peek();
            std::uint32_t digit = 0;
            if (c >= '0' && c <= '9')
                digit = static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                digit = static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                digit = static_cast<std::uint32_t>(c - 'A' + 10);
            else
                fail("expected 4 hex digits after \\u");
            value = value * 16 + digit;
            ++pos_;
        }
        return value;
    }


    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace detail

// Parses a JSON list of strings (what on_control's args_json holds). Throws
// std::invalid_argument for anything else: another value, a number in the
// list, a bad escape or lone surrogate, invalid UTF-8, trailing text.
inline std::vector<std::string> parseStringList(std::string_view text) { return detail::StringListReader(text).read(); }

}  // namespace chatd::sdk::json
