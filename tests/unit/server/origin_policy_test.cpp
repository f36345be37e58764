// The Origin rule of docs/protocol.md: same host by default, or the configured list.
#include <gtest/gtest.h>

#include "server/origin_policy.h"

namespace chatd::server {
namespace {

TEST(OriginPolicy, EmptyListAllowsTheSameHostOnly) {
    const std::vector<std::string> none;
    EXPECT_TRUE(isOriginAllowed("http://localhost:8080", "localhost:8080", none));
    EXPECT_TRUE(isOriginAllowed("http://LocalHost:8080", "localhost:8080", none));
    EXPECT_TRUE(isOriginAllowed("http://chat.example.org", "chat.example.org:80", none));
    EXPECT_TRUE(isOriginAllowed("https://chat.example.org", "chat.example.org", none));
    EXPECT_FALSE(isOriginAllowed("http://localhost:8081", "localhost:8080", none));
    EXPECT_FALSE(isOriginAllowed("http://evil.example", "localhost:8080", none));
    EXPECT_FALSE(isOriginAllowed("null", "localhost:8080", none));
    EXPECT_FALSE(isOriginAllowed("http://localhost:8080", "", none));
    EXPECT_FALSE(isOriginAllowed("http://localhost:8080/path", "localhost:8080", none));
}

TEST(OriginPolicy, ListEntriesMatchExactlyAndStarAllowsAll) {
    const std::vector<std::string> list{"https://chat.example.org", "http://localhost:3000"};
    EXPECT_TRUE(isOriginAllowed("https://chat.example.org", "backend:8080", list));
    EXPECT_TRUE(isOriginAllowed("https://chat.example.org:443", "backend:8080", list));
    EXPECT_TRUE(isOriginAllowed("http://localhost:3000", "backend:8080", list));
    EXPECT_FALSE(isOriginAllowed("http://chat.example.org", "backend:8080", list));  // scheme differs
    EXPECT_FALSE(isOriginAllowed("http://backend:8080", "backend:8080", list));      // list replaces same-host
    EXPECT_TRUE(isOriginAllowed("null", "x", {"*"}));
}

}  // namespace
}  // namespace chatd::server
