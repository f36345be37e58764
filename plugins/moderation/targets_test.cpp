// Durations, addresses/networks and the state file's JSON.
#include <gtest/gtest.h>

#include "json_value.h"
#include "moderation_store.h"
#include "targets.h"

using namespace chatd::plugins::moderation;

TEST(ModerationTargets, Durations) {
    EXPECT_EQ(parseDuration("90s"), 90'000);
    EXPECT_EQ(parseDuration("10m"), 600'000);
    EXPECT_EQ(parseDuration("2h"), 7'200'000);
    EXPECT_EQ(parseDuration("1d"), 86'400'000);
    EXPECT_EQ(parseDuration("1w"), 7 * 86'400'000LL);
    EXPECT_EQ(parseDuration("forever"), 0);
    for (const char* bad : {"", "m", "10", "0m", "-1m", "10x", "1.5h", "99999w", "10 m"})
        EXPECT_FALSE(parseDuration(bad)) << bad;
}

TEST(ModerationTargets, AddressesAndNetworks) {
    const auto net = parseNetwork("198.51.100.0/24");
    ASSERT_TRUE(net);
    EXPECT_EQ(net->text(), "198.51.100.0/24");
    EXPECT_TRUE(net->contains(*parseNetwork("198.51.100.7")));
    EXPECT_FALSE(net->contains(*parseNetwork("198.51.101.7")));
    EXPECT_FALSE(net->contains(*parseNetwork("2001:db8::1")));
    EXPECT_EQ(parseNetwork("203.0.113.7")->text(), "203.0.113.7");
    const auto v6 = parseNetwork("2001:db8::/32");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->text(), "2001:db8::/32");
    EXPECT_TRUE(v6->contains(*parseNetwork("2001:db8:1::5")));
    EXPECT_FALSE(v6->contains(*parseNetwork("2001:db9::5")));
    EXPECT_TRUE(parseNetwork("0.0.0.0/0")->contains(*parseNetwork("8.8.8.8")));
    for (const char* bad : {"bob", "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "1.2.3", "::1/129", "10.0.0.0/x"})
        EXPECT_FALSE(parseNetwork(bad)) << bad;
}

TEST(ModerationTargets, TimesAndClaims) {
    EXPECT_EQ(isoTime(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(untilText(0), "forever");
    EXPECT_EQ(untilText(86'400'000), "until 1970-01-02T00:00:00Z");
    EXPECT_EQ(stringClaim(R"({"sub":"x","role":"moderator","n":[1,{"a":null}]})", "role"), "moderator");
    EXPECT_EQ(stringClaim(R"({"role":7})", "role"), "");
    EXPECT_EQ(stringClaim(R"({"role":"moderator"} x)", "role"), "");
    EXPECT_EQ(stringClaim("", "role"), "");
    EXPECT_EQ(stringClaim(R"({"r\u00f4le":"a\"b"})", "r\xc3\xb4le"), "a\"b");
    EXPECT_THROW(parseJson("[1,]"), std::invalid_argument);
}

TEST(ModerationStore, RoundTripsThroughJson) {
    ModerationStore store;
    store.put(Entry{Kind::Ban, "bob", false, "", "admin", "spam \"x\"", 1000, 0});
    store.put(Entry{Kind::Mute, "eve", false, "lobby", "mod", "", 1000, 5000});
    store.put(Entry{Kind::Ban, "10.0.0.0/8", true, "", "admin", "", 1000, 0});
    ModerationStore copy;
    copy.loadJson(store.toJson());
    ASSERT_EQ(copy.entries().size(), 3u);
    EXPECT_EQ(copy.entries()[0].reason, "spam \"x\"");
    EXPECT_TRUE(copy.find(Kind::Ban, "BOB", "", "any", 2000));
    EXPECT_TRUE(copy.find(Kind::Ban, "", "10.1.2.3", "", 2000));
    EXPECT_FALSE(copy.find(Kind::Ban, "", "11.1.2.3", "", 2000));
    EXPECT_TRUE(copy.find(Kind::Mute, "eve", "", "lobby", 2000));
    EXPECT_FALSE(copy.find(Kind::Mute, "eve", "", "other", 2000));
    EXPECT_FALSE(copy.find(Kind::Mute, "eve", "", "lobby", 5000));
    EXPECT_EQ(copy.expire(5000).size(), 1u);
    EXPECT_THROW(copy.loadJson(R"({"entries":[{"kind":"zap"}]})"), std::invalid_argument);
}
