// joinedHeaderValues: a list header sent as several lines reads as one list
// (RFC 7230 3.2.2), so a sub-protocol offered on a second
// Sec-WebSocket-Protocol line is seen.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequest.h>

#include "server/upgrade_handler.h"
#include "ws/handshake.h"

namespace chatd::server {
namespace {

TEST(UpgradeHeaders, SeveralLinesAreJoinedInOrder) {
    Poco::Net::HTTPRequest request;
    request.add("Sec-WebSocket-Protocol", "mqtt, x.v2");
    request.add("Host", "example");
    request.add("sec-websocket-protocol", "chatd.v1");
    EXPECT_EQ(joinedHeaderValues(request, "Sec-WebSocket-Protocol"), "mqtt, x.v2, chatd.v1");
    const auto offered = ws::splitTokenList(joinedHeaderValues(request, "Sec-WebSocket-Protocol"));
    EXPECT_EQ(offered, (std::vector<std::string>{"mqtt", "x.v2", "chatd.v1"}));
}

TEST(UpgradeHeaders, OneLineOrNone) {
    Poco::Net::HTTPRequest request;
    EXPECT_EQ(joinedHeaderValues(request, "Sec-WebSocket-Protocol"), "");
    request.add("Sec-WebSocket-Protocol", "chatd.v1");
    EXPECT_EQ(joinedHeaderValues(request, "SEC-WEBSOCKET-PROTOCOL"), "chatd.v1");
    EXPECT_EQ(joinedHeaderValues(request, "Sec-WebSocket-Protocols"), "");
}

}  // namespace
}  // namespace chatd::server
