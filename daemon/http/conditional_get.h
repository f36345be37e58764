// Validators of a static file (ETag, Last-Modified) and the conditional-GET
// checks (If-None-Match, If-Modified-Since) that turn a request into a 304.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

namespace chatd::http {

// Strong entity tag from size and modification time: "\"<size hex>-<mtime ns hex>\"".
std::string makeETag(std::uint64_t size, std::int64_t mtime_ns);

// True when the If-None-Match field value lists `etag` or is "*".
// Weak comparison (RFC 9110 13.1.2): a W/ prefix on either side is ignored.
bool ifNoneMatchMatches(std::string_view field, std::string_view etag);

// True when the If-Modified-Since field value is a valid HTTP-date (any of
// the three formats) at or after mtime_sec; false when it is unparsable.
bool notModifiedSince(std::string_view field, std::time_t mtime_sec);

// The request's conditional headers, absent ones as nullptr.
struct ConditionalHeaders {
    const std::string* if_none_match = nullptr;
    const std::string* if_modified_since = nullptr;
};

// Whether a GET/HEAD for a file with these validators gets 304:
// If-None-Match decides when present; only otherwise If-Modified-Since.
bool isNotModified(const ConditionalHeaders& headers, std::string_view etag, std::time_t mtime_sec);

}  // namespace chatd::http
