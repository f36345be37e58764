// Maps a request-target to a file under the public directory, refusing
// anything that could escape it (.., encoded slashes, NUL, symlinks out).
#pragma once

#include <string>
#include <string_view>

namespace chatd::http {

enum class ResolveStatus { Ok, BadRequest, NotFound };

struct ResolvedPath {
    ResolveStatus status;
    std::string file;  // absolute, canonical filesystem path when status == Ok
};

// Longest path part of a request-target (before '?'/'#') we accept, in bytes.
inline constexpr std::size_t kMaxRequestPathBytes = 1024;

// Resolves request_uri (as in the request line: percent-encoded, maybe with
// ?query and #fragment, which are ignored) to a regular file inside root.
//  BadRequest: no leading '/', too long, bad %-escape, NUL, backslash,
//              encoded '/', any ".." segment.
//  NotFound:   missing, not a regular file, a dot-segment name (".env"),
//              or a canonical path (symlinks followed) outside canonical root.
// A path ending in '/' or naming a directory resolves to its index.html.
ResolvedPath resolveStaticPath(const std::string& root, std::string_view request_uri);

}  // namespace chatd::http
