// Request-target -> file under the public directory (see path_resolver.h).
#include "http/path_resolver.h"

#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "util/percent_escape.h"

namespace fs = std::filesystem;

namespace chatd::http {
namespace {

// Percent-decodes one path segment (the text between two raw '/').
// nullopt when an escape is malformed or decodes to a byte we refuse
// ('/', NUL, '\\'); a raw backslash is refused as well.
std::optional<std::string> decodeSegment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            const auto byte = util::percentEscapeAt(raw, i);
            if (!byte) return std::nullopt;
            c = *byte;
            i += 2;
            if (c == '/') return std::nullopt;
        }
        if (c == '\0' || c == '\\') return std::nullopt;
        out.push_back(c);
    }
    return out;
}

// True when `path` is `root` itself or lies below it (both canonical).
bool isWithin(const fs::path& root, const fs::path& path) {
    auto r = root.begin();
    auto p = path.begin();
    for (; r != root.end(); ++r, ++p) {
        if (p == path.end() || *r != *p) return false;
    }
    return true;
}

// True when any component of `path` after the first root-many components
// starts with '.' (a dotfile or dot-directory reached through a symlink).
bool hasDotComponentBelow(const fs::path& root, const fs::path& path) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end() && p != path.end(); ++r) ++p;
    for (; p != path.end(); ++p) {
        const std::string& name = p->native();
        if (!name.empty() && name.front() == '.') return true;
    }
    return false;
}

// Canonicalises `candidate` and accepts it only if it is a regular file
// inside `root` with no dot-named component after symlinks are followed.
// A directory is retried once as its index.html.
ResolvedPath checkCandidate(const fs::path& root, const fs::path& candidate, bool allow_dir) {
    std::error_code ec;
    const fs::path real = fs::canonical(candidate, ec);
    if (ec || !isWithin(root, real) || hasDotComponentBelow(root, real)) {
        return {ResolveStatus::NotFound, {}};
    }
    const fs::file_status st = fs::status(real, ec);
    if (ec) return {ResolveStatus::NotFound, {}};
    if (fs::is_directory(st) && allow_dir) return checkCandidate(root, real / "index.html", false);
    if (!fs::is_regular_file(st)) return {ResolveStatus::NotFound, {}};
    return {ResolveStatus::Ok, real.string()};
}

}  // namespace

ResolvedPath resolveStaticPath(const std::string& root, std::string_view request_uri) {
    const std::string_view path = request_uri.substr(0, request_uri.find_first_of("?#"));
    if (path.empty() || path.front() != '/' || path.size() > kMaxRequestPathBytes) {
        return {ResolveStatus::BadRequest, {}};
    }

    // Split on raw '/', decode each segment, drop empty and "." segments;
    // a trailing '/' or "." asks for the directory itself (its index.html).
    std::vector<std::string> segments;
    bool dot_name = false;
    std::size_t start = 1;
    bool wants_directory = true;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        auto segment = decodeSegment(path.substr(start, end - start));
        if (!segment) return {ResolveStatus::BadRequest, {}};
        wants_directory = segment->empty() || *segment == ".";
        if (*segment == "..") return {ResolveStatus::BadRequest, {}};
        if (!segment->empty() && *segment != ".") {
            if (segment->front() == '.') dot_name = true;  // keep scanning for ".."
            segments.push_back(std::move(*segment));
        }
        start = end + 1;
    }
    if (dot_name) return {ResolveStatus::NotFound, {}};

    std::error_code ec;
    const fs::path real_root = fs::canonical(root, ec);
    if (ec) return {ResolveStatus::NotFound, {}};

    fs::path candidate = real_root;
    for (const auto& s : segments) candidate /= s;
    if (wants_directory) candidate /= "index.html";
    return checkCandidate(real_root, candidate, !wants_directory);
}

}  // namespace chatd::http
