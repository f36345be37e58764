// libFuzzer target: the static path resolver (http/path_resolver) against a
// real temporary tree: the unit tests' fixture (files, a dotfile, a FIFO,
// symlinks inside and leaving the root, secrets beside it) plus a sibling
// directory sharing the root's name as a prefix and an index.html that is a
// symlink out.
//
// Input: a request-target as in the request line. Checks, besides the
// sanitizers:
//   - Ok names a canonical regular file strictly inside the canonical root,
//     with no dot-named component below the root;
//   - an encoded '/', '\' or NUL, or a ".." segment, is never Ok;
//   - only Ok carries a file name;
//   - a "?query" or "#fragment" appended to the path changes nothing.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "http/path_resolver.h"
#include "temp_public_dir.h"

namespace {

namespace fs = std::filesystem;
using namespace chatd::http;

void check(bool ok) {
    if (!ok) std::abort();
}

// The tree lives for the whole run; removed at exit.
std::unique_ptr<test::TempPublicDir> g_tree;

void buildTree() {
    g_tree = std::make_unique<test::TempPublicDir>();
    const fs::path& base = g_tree->base();
    const fs::path& root = g_tree->root();
    fs::create_directories(base / "public-evil");
    test::TempPublicDir::write(base / "public-evil" / "x.txt", "evil\n");
    fs::create_symlink(base / "public-evil" / "x.txt", root / "evil.txt");
    fs::create_symlink("../public-evil", root / "evil_dir");
    fs::create_directories(root / "trap");
    fs::create_symlink(base / "secret.txt", root / "trap" / "index.html");
    test::TempPublicDir::write(root / "sub" / "page.html", "<p>page</p>\n");
    std::atexit([] { g_tree.reset(); });
}

bool containsNoCase(std::string_view text, std::string_view needle) {
    if (needle.size() > text.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && std::tolower(static_cast<unsigned char>(text[i + k])) == needle[k]) ++k;
        if (k == needle.size()) return true;
    }
    return false;
}

// True when some '/'-separated segment of `path` is ".." once %2e/%2E are decoded.
bool hasDotDotSegment(std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string segment(path.substr(start, end - start));
        std::string decoded;
        for (std::size_t i = 0; i < segment.size(); ++i) {
            if (segment[i] == '%' && i + 2 < segment.size() && segment[i + 1] == '2' &&
                (segment[i + 2] == 'e' || segment[i + 2] == 'E')) {
                decoded += '.';
                i += 2;
            } else {
                decoded += segment[i];
            }
        }
        if (decoded == "..") return true;
        start = end + 1;
    }
    return false;
}

void checkOk(const ResolvedPath& r) {
    const fs::path file(r.file);
    const fs::path root = fs::canonical(g_tree->root());
    check(file.is_absolute());
    std::error_code ec;
    check(fs::canonical(file, ec) == file && !ec);
    check(fs::is_regular_file(fs::symlink_status(file)));
    const std::string root_prefix = root.string() + "/";
    check(r.file.compare(0, root_prefix.size(), root_prefix) == 0);
    const fs::path below = file.lexically_relative(root);
    for (const fs::path& part : below) check(!part.empty() && part.native().front() != '.');
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    buildTree();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string uri(reinterpret_cast<const char*>(data), size);
    const std::string& root = g_tree->rootString();
    const ResolvedPath r = resolveStaticPath(root, uri);
    check(r.file.empty() == (r.status != ResolveStatus::Ok));
    if (r.status == ResolveStatus::Ok) checkOk(r);

    const std::string_view path = std::string_view(uri).substr(0, uri.find_first_of("?#"));
    if (containsNoCase(path, "%2f") || containsNoCase(path, "%5c") || containsNoCase(path, "%00") ||
        path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
        check(r.status != ResolveStatus::Ok);
    }
    if (!path.empty() && path.front() == '/' && hasDotDotSegment(path)) check(r.status == ResolveStatus::BadRequest);

    // A query or fragment after the path is ignored.
    if (uri.find_first_of("?#") == std::string::npos) {
        const ResolvedPath with_query = resolveStaticPath(root, uri + "?a=/../x");
        check(with_query.status == r.status && with_query.file == r.file);
    }
    return 0;
}
