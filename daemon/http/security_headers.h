// Security headers every HTTP response of ours carries, and the small
// text/plain error response built on them.
#pragma once

#include <string_view>

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace chatd::http {

inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "object-src 'none'";

// Sets CSP, X-Content-Type-Options, X-Frame-Options, Referrer-Policy and
// Cross-Origin-Opener-Policy on `response` (replacing earlier values).
void applySecurityHeaders(Poco::Net::HTTPServerResponse& response);

// Sends `status` with a text/plain body of `message` plus a newline, the
// security headers, Content-Length and Cache-Control: no-store. With
// head_only the headers are the same but no body is written (HEAD).
// Headers set on `response` beforehand (e.g. Allow) are kept.
void sendPlainError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
                    std::string_view message, bool head_only = false);

}  // namespace chatd::http
