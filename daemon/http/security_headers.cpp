// Security headers and plain-text error responses (see security_headers.h).
#include "http/security_headers.h"

#include <ostream>
#include <string>

namespace chatd::http {

void applySecurityHeaders(Poco::Net::HTTPServerResponse& response) {
    response.set("Content-Security-Policy", std::string(kContentSecurityPolicy));
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
}

void sendPlainError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                    std::string_view message, bool head_only) {
    std::string body(message);
    body.push_back('\n');

    response.setStatusAndReason(status);
    response.setChunkedTransferEncoding(false);
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.set("Cache-Control", "no-store");
    applySecurityHeaders(response);

    std::ostream& out = response.send();
    if (!head_only) out.write(body.data(), static_cast<std::streamsize>(body.size()));
}

}  // namespace chatd::http
