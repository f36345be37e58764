// Static file handler (see static_file_handler.h).
#include "http/static_file_handler.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <ostream>
#include <utility>
#include <vector>

#include <Poco/Net/HTTPRequest.h>

#include "http/conditional_get.h"
#include "http/http_date.h"
#include "http/mime_types.h"
#include "http/path_resolver.h"
#include "http/security_headers.h"

namespace chatd::http {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

constexpr std::size_t kCopyChunkBytes = 64 * 1024;

// Owns a file descriptor; closes it on destruction.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    ~FileDescriptor() { reset(); }
    int get() const { return fd_; }
    bool valid() const { return fd_ >= 0; }

private:
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    int fd_;
};

// Opens `path` for reading and fills `st`; invalid unless it is a regular file.
// O_NOFOLLOW/O_NONBLOCK: a symlink or FIFO swapped in after resolution is
// refused instead of followed or blocked on.
FileDescriptor openRegularFile(const std::string& path, struct stat& st) {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return FileDescriptor(-1);
    return fd;
}

// Copies exactly `size` bytes from `fd` to `out`. False on a read error, a
// file that shrank, or a write failure (client gone).
bool copyFile(int fd, std::uint64_t size, std::ostream& out) {
    std::vector<char> buffer(kCopyChunkBytes);
    std::uint64_t remaining = size;
    while (remaining > 0) {
        const std::size_t want = remaining < buffer.size() ? static_cast<std::size_t>(remaining) : buffer.size();
        const ssize_t got = ::read(fd, buffer.data(), want);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        out.write(buffer.data(), got);
        if (!out) return false;
        remaining -= static_cast<std::uint64_t>(got);
    }
    out.flush();
    return static_cast<bool>(out);
}

const std::string* headerOrNull(const HTTPRequest& request, const std::string& name) {
    const auto it = request.find(name);
    return it == request.end() ? nullptr : &it->second;
}

}  // namespace

StaticFileHandler::StaticFileHandler(std::string root) : root_(std::move(root)) {}

void StaticFileHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    try {
        serve(request, response);
    } catch (...) {
        if (response.sent()) {
            response.setKeepAlive(false);  // body is incomplete: drop the connection
            return;
        }
        try {
            response.erase("ETag");  // validators of the file do not describe the error
            response.erase("Last-Modified");
            sendPlainError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal server error",
                           request.getMethod() == HTTPRequest::HTTP_HEAD);
        } catch (...) {
            response.setKeepAlive(false);
        }
    }
}

void StaticFileHandler::serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    const bool head = method == HTTPRequest::HTTP_HEAD;
    if (!head && method != HTTPRequest::HTTP_GET) {
        response.set("Allow", "GET, HEAD");
        sendPlainError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method not allowed");
        return;
    }

    const ResolvedPath resolved = resolveStaticPath(root_, request.getURI());
    if (resolved.status == ResolveStatus::BadRequest) {
        sendPlainError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad request", head);
        return;
    }
    struct stat st {};
    FileDescriptor file(-1);
    if (resolved.status == ResolveStatus::Ok) file = openRegularFile(resolved.file, st);
    if (!file.valid()) {
        sendPlainError(response, HTTPResponse::HTTP_NOT_FOUND, "not found", head);
        return;
    }

    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    const std::string etag = makeETag(size, mtime_ns);

    response.set("ETag", etag);
    response.set("Last-Modified", formatHttpDate(st.st_mtim.tv_sec));
    response.set("Cache-Control", "no-cache");
    applySecurityHeaders(response);

    const ConditionalHeaders conditions{headerOrNull(request, "If-None-Match"),
                                        headerOrNull(request, "If-Modified-Since")};
    if (isNotModified(conditions, etag, st.st_mtim.tv_sec)) {
        response.setStatusAndReason(HTTPResponse::HTTP_NOT_MODIFIED);
        response.send();
        return;
    }

    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setChunkedTransferEncoding(false);
    response.setContentType(std::string(contentTypeFor(resolved.file)));
    response.setContentLength64(static_cast<Poco::Int64>(size));
    std::ostream& out = response.send();
    if (head) return;
    if (!copyFile(file.get(), size, out)) response.setKeepAlive(false);
}

}  // namespace chatd::http
