// applySecurityHeaders and sendPlainError on a response that records what
// would go on the wire (no server needed).
#include "http/security_headers.h"

#include <gtest/gtest.h>

#include "fake_http.h"

namespace chatd::http {
namespace {

using Poco::Net::HTTPResponse;
using test::RecordingResponse;

void expectSecurityHeaders(const HTTPResponse& r) {
    EXPECT_EQ(r.get("Content-Security-Policy", ""),
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
              "object-src 'none'");
    EXPECT_EQ(r.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_EQ(r.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(r.get("Referrer-Policy", ""), "no-referrer");
    EXPECT_EQ(r.get("Cross-Origin-Opener-Policy", ""), "same-origin");
}

TEST(SecurityHeaders, AllFiveAreSet) {
    RecordingResponse r;
    applySecurityHeaders(r);
    expectSecurityHeaders(r);
    EXPECT_FALSE(r.sent());
}

TEST(SecurityHeaders, ApplyingTwiceDoesNotDuplicate) {
    RecordingResponse r;
    r.set("X-Frame-Options", "SAMEORIGIN");
    applySecurityHeaders(r);
    applySecurityHeaders(r);
    EXPECT_EQ(r.get("X-Frame-Options"), "DENY");
    std::size_t count = 0;
    for (const auto& [name, value] : r) count += (name == "X-Frame-Options");
    EXPECT_EQ(count, 1u);
}

TEST(SendPlainError, StatusBodyLengthAndHeaders) {
    RecordingResponse r;
    sendPlainError(r, HTTPResponse::HTTP_NOT_FOUND, "not found");
    EXPECT_TRUE(r.sent());
    EXPECT_EQ(r.getStatus(), HTTPResponse::HTTP_NOT_FOUND);
    EXPECT_EQ(r.getReason(), "Not Found");
    EXPECT_EQ(r.getContentType(), "text/plain; charset=utf-8");
    EXPECT_EQ(r.body(), "not found\n");
    EXPECT_EQ(r.getContentLength64(), 10);
    EXPECT_EQ(r.get("Cache-Control", ""), "no-store");
    EXPECT_FALSE(r.getChunkedTransferEncoding());
    expectSecurityHeaders(r);
}

TEST(SendPlainError, HeadOnlyKeepsLengthButWritesNoBody) {
    RecordingResponse r;
    sendPlainError(r, HTTPResponse::HTTP_BAD_REQUEST, "bad request", true);
    EXPECT_TRUE(r.sent());
    EXPECT_EQ(r.getStatus(), HTTPResponse::HTTP_BAD_REQUEST);
    EXPECT_EQ(r.getContentLength64(), 12);
    EXPECT_EQ(r.body(), "");
    expectSecurityHeaders(r);
}

TEST(SendPlainError, KeepsHeadersSetBeforehand) {
    RecordingResponse r;
    r.set("Allow", "GET, HEAD");
    sendPlainError(r, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method not allowed");
    EXPECT_EQ(r.get("Allow", ""), "GET, HEAD");
    EXPECT_EQ(r.getStatus(), HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
}

TEST(SendPlainError, EmptyMessageStillHasANewline) {
    RecordingResponse r;
    sendPlainError(r, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "");
    EXPECT_EQ(r.body(), "\n");
    EXPECT_EQ(r.getContentLength64(), 1);
}

}  // namespace
}  // namespace chatd::http
