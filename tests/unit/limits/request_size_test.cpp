#include "limits/request_size.h"

#include <gtest/gtest.h>

#include <sstream>

namespace chatd::limits {
namespace {

TEST(RequestHeadBytes, EqualsTheBytesOnTheWire) {
    const std::string head = "GET /ws?token=abc HTTP/1.1\r\nHost: example.org\r\nUpgrade: websocket\r\n\r\n";
    std::istringstream in(head);
    Poco::Net::HTTPRequest request;
    request.read(in);
    EXPECT_EQ(requestHeadBytes(request), head.size());
}

TEST(RequestHeadBytes, GrowsWithEveryField) {
    Poco::Net::HTTPRequest request("GET", "/", "HTTP/1.1");
    const std::size_t bare = requestHeadBytes(request);
    EXPECT_EQ(bare, std::string("GET / HTTP/1.1\r\n\r\n").size());
    request.add("Cookie", std::string(8000, 'c'));
    EXPECT_EQ(requestHeadBytes(request), bare + 6 + 2 + 8000 + 2);
}

}  // namespace
}  // namespace chatd::limits
