// The Origin rule of docs/protocol.md: by default a page of chatd's own whose
// host DNS cannot re-point (IP literal, localhost); otherwise the configured list.
#include <gtest/gtest.h>

#include "server/origin_policy.h"

namespace chatd::server {
namespace {

const std::vector<std::string> kDefault;

OriginVerdict byDefault(std::string_view origin, std::string_view host) { return checkOrigin(origin, host, kDefault); }

TEST(OriginPolicy, DefaultAllowsTheSameHostWhenItIsAnIpLiteralOrLocalhost) {
    EXPECT_EQ(byDefault("http://localhost:8080", "localhost:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://LocalHost:8080", "localhost:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://localhost", "localhost:80"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://chat.localhost:8080", "chat.localhost:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://127.0.0.1:8080", "127.0.0.1:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://192.168.1.20:8080", "192.168.1.20:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("https://203.0.113.9", "203.0.113.9:443"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://[::1]:8080", "[::1]:8080"), OriginVerdict::Allowed);
    EXPECT_EQ(byDefault("http://[2001:db8::7]", "[2001:DB8::7]"), OriginVerdict::Allowed);
}

// DNS rebinding: the attacker's name now points at chatd, so the browser
// sends Origin and Host both naming it: "the same host" proves nothing.
TEST(OriginPolicy, DefaultRefusesTheSameHostUnderADnsName) {
    EXPECT_EQ(byDefault("http://evil.example:8080", "evil.example:8080"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("https://chat.example.org", "chat.example.org"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://localhost.evil.example:8080", "localhost.evil.example:8080"),
              OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://127.0.0.1.nip.io:8080", "127.0.0.1.nip.io:8080"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://localhost.:8080", "localhost.:8080"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://.localhost:8080", ".localhost:8080"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://1.2.3:8080", "1.2.3:8080"), OriginVerdict::NameNotListed);  // not a dotted quad
    EXPECT_EQ(byDefault("http://[::1]x:8080", "[::1]x:8080"), OriginVerdict::NameNotListed);
    EXPECT_EQ(byDefault("http://[nonsense]:8080", "[nonsense]:8080"), OriginVerdict::NameNotListed);
}

TEST(OriginPolicy, DefaultRefusesAnotherHostOrPortOrAMalformedOrigin) {
    EXPECT_EQ(byDefault("http://localhost:8081", "localhost:8080"), OriginVerdict::OtherHost);
    EXPECT_EQ(byDefault("http://evil.example", "localhost:8080"), OriginVerdict::OtherHost);
    EXPECT_EQ(byDefault("https://127.0.0.1:8080", "127.0.0.1:8080"), OriginVerdict::Allowed);  // scheme is not compared
    EXPECT_EQ(byDefault("https://127.0.0.1", "127.0.0.1:80"), OriginVerdict::OtherHost);  // 443 is not 80
    EXPECT_EQ(byDefault("null", "localhost:8080"), OriginVerdict::OtherHost);
    EXPECT_EQ(byDefault("http://localhost:8080/path", "localhost:8080"), OriginVerdict::OtherHost);
    EXPECT_EQ(byDefault("http://user@localhost:8080", "localhost:8080"), OriginVerdict::OtherHost);
}

TEST(OriginPolicy, DefaultRefusesARequestWithoutHost) {
    EXPECT_EQ(byDefault("http://localhost:8080", ""), OriginVerdict::NoHost);
    EXPECT_EQ(byDefault("null", ""), OriginVerdict::NoHost);
}

TEST(OriginPolicy, ListEntriesMatchExactlyAndStarAllowsAll) {
    const std::vector<std::string> list{"https://chat.example.org", "http://localhost:3000"};
    EXPECT_EQ(checkOrigin("https://chat.example.org", "backend:8080", list), OriginVerdict::Allowed);
    EXPECT_EQ(checkOrigin("https://chat.example.org:443", "backend:8080", list), OriginVerdict::Allowed);
    EXPECT_EQ(checkOrigin("HTTPS://Chat.Example.org", "backend:8080", list), OriginVerdict::Allowed);
    EXPECT_EQ(checkOrigin("https://chat.example.org", "", list), OriginVerdict::Allowed);  // Host plays no part
    EXPECT_EQ(checkOrigin("http://localhost:3000", "backend:8080", list), OriginVerdict::Allowed);
    EXPECT_EQ(checkOrigin("http://chat.example.org", "backend:8080", list), OriginVerdict::NotListed);  // scheme
    EXPECT_EQ(checkOrigin("http://backend:8080", "backend:8080", list), OriginVerdict::NotListed);  // list replaces
    EXPECT_EQ(checkOrigin("http://127.0.0.1:8080", "127.0.0.1:8080", list), OriginVerdict::NotListed);
    EXPECT_EQ(checkOrigin("null", "x", list), OriginVerdict::NotListed);
    EXPECT_EQ(checkOrigin("null", "x", {"*"}), OriginVerdict::Allowed);
    EXPECT_EQ(checkOrigin("http://evil.example", "", {"*"}), OriginVerdict::Allowed);
}

TEST(OriginPolicy, EveryRefusalSaysWhy) {
    EXPECT_EQ(originRefusalReason(OriginVerdict::Allowed), "");
    for (const OriginVerdict verdict : {OriginVerdict::NotListed, OriginVerdict::OtherHost,
                                        OriginVerdict::NameNotListed, OriginVerdict::NoHost}) {
        EXPECT_EQ(originRefusalReason(verdict).rfind("origin not allowed: ", 0), 0u);
    }
    EXPECT_NE(originRefusalReason(OriginVerdict::NoHost).find("no Host"), std::string_view::npos);
    EXPECT_NE(originRefusalReason(OriginVerdict::NameNotListed).find("websocket.allowed_origins"),
              std::string_view::npos);
}

}  // namespace
}  // namespace chatd::server
