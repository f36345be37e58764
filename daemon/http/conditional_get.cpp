// ETag / Last-Modified and conditional-GET evaluation (see conditional_get.h).
#include "http/conditional_get.h"

#include <array>
#include <cstdio>
#include <optional>

#include "http/http_date.h"

namespace chatd::http {
namespace {

std::string_view stripWeak(std::string_view tag) {
    if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
    return tag;
}

bool isListSpace(char c) { return c == ' ' || c == '\t' || c == ','; }

}  // namespace

std::string makeETag(std::uint64_t size, std::int64_t mtime_ns) {
    std::array<char, 64> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "\"%llx-%llx\"", static_cast<unsigned long long>(size),
                                static_cast<unsigned long long>(mtime_ns));
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

// Walks the comma-separated entity-tag list; opaque tags may contain commas,
// so tags are read quote to quote rather than split on ','.
bool ifNoneMatchMatches(std::string_view field, std::string_view etag) {
    const std::string_view ours = stripWeak(etag);
    std::size_t i = 0;
    while (i < field.size()) {
        while (i < field.size() && isListSpace(field[i])) ++i;
        if (i >= field.size()) break;
        if (field[i] == '*') return true;
        if (field.compare(i, 2, "W/") == 0) i += 2;
        if (i < field.size() && field[i] == '"') {
            const std::size_t close = field.find('"', i + 1);
            if (close == std::string_view::npos) return false;  // unterminated: ignore the rest
            if (field.substr(i, close - i + 1) == ours) return true;
            i = close + 1;
        } else {
            // Not an entity-tag: skip to the next list member.
            const std::size_t comma = field.find(',', i);
            if (comma == std::string_view::npos) break;
            i = comma + 1;
        }
    }
    return false;
}

bool notModifiedSince(std::string_view field, std::time_t mtime_sec) {
    const std::optional<std::time_t> since = parseHttpDate(field);
    return since && mtime_sec <= *since;
}

bool isNotModified(const ConditionalHeaders& headers, std::string_view etag, std::time_t mtime_sec) {
    if (headers.if_none_match) return ifNoneMatchMatches(*headers.if_none_match, etag);
    if (headers.if_modified_since) return notModifiedSince(*headers.if_modified_since, mtime_sec);
    return false;
}

}  // namespace chatd::http
