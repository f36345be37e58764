// Request framing: no body, one unambiguous way to read where a request ends.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "http/request_framing.h"

namespace chatd::http {
namespace {

using Header = std::pair<std::string, std::string>;

std::optional<FramingRefusal> framingOf(const std::vector<Header>& headers, const std::string& method = "GET") {
    Poco::Net::HTTPRequest request(method, "/", Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.add(name, value);  // add: several fields of one name
    return checkRequestFraming(request);
}

int statusOf(const std::vector<Header>& headers, const std::string& method = "GET") {
    const auto refusal = framingOf(headers, method);
    return refusal ? static_cast<int>(refusal->status) : 0;
}

TEST(RequestFraming, NoBodyPasses) {
    EXPECT_EQ(statusOf({}), 0);
    EXPECT_EQ(statusOf({}, "POST"), 0);  // a request without framing headers has no body (RFC 9112 6.3)
    EXPECT_EQ(statusOf({{"Content-Length", "0"}}), 0);
    EXPECT_EQ(statusOf({{"content-length", "000"}}, "HEAD"), 0);
}

TEST(RequestFraming, ABodyIsRefusedWith413) {
    EXPECT_EQ(statusOf({{"Content-Length", "1"}}), 413);
    EXPECT_EQ(statusOf({{"Content-Length", "0040"}}, "POST"), 413);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "chunked"}}), 413);
    EXPECT_EQ(statusOf({{"transfer-encoding", "Chunked"}}, "POST"), 413);
    EXPECT_EQ(framingOf({{"Content-Length", "5"}})->reason, "this server accepts no request body");
}

TEST(RequestFraming, SeveralOrMalformedContentLengthsAre400) {
    EXPECT_EQ(statusOf({{"Content-Length", "5"}, {"Content-Length", "5"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", "0"}, {"content-length", "40"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", "5, 5"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", "+5"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", "-1"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", "0x10"}}), 400);
    EXPECT_EQ(statusOf({{"Content-Length", ""}}), 400);
}

TEST(RequestFraming, TransferEncodingWithContentLengthOrOtherThanChunkedIs400) {
    EXPECT_EQ(statusOf({{"Content-Length", "0"}, {"Transfer-Encoding", "chunked"}}), 400);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "chunked"}, {"Content-Length", "4"}}, "POST"), 400);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "gzip, chunked"}}), 400);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "identity"}}), 400);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}), 400);
    EXPECT_EQ(statusOf({{"Transfer-Encoding", "xchunked"}}), 400);
    EXPECT_EQ(framingOf({{"Content-Length", "0"}, {"Transfer-Encoding", "chunked"}})->reason,
              "a request may not carry both Content-Length and Transfer-Encoding");
}

}  // namespace
}  // namespace chatd::http
