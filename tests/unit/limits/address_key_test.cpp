#include "limits/address_key.h"

#include <gtest/gtest.h>

namespace chatd::limits {
namespace {

TEST(AddressKey, Ipv4IsItself) {
    EXPECT_EQ(addressKey("203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(addressKey("::ffff:203.0.113.7"), "203.0.113.7");  // IPv4-mapped, as a dual-stack socket reports it
}

TEST(AddressKey, Ipv6IsGroupedByPrefix) {
    EXPECT_EQ(addressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    EXPECT_EQ(addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:2:ffff::9"));
    EXPECT_NE(addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:3::1"));
    EXPECT_EQ(addressKey("2001:db8:1:2::1", 48), "2001:db8:1::/48");
    EXPECT_EQ(addressKey("2001:db8::1", 128), "2001:db8::1");
    EXPECT_EQ(addressKey("2001:db8:1:2::1", 60), "2001:db8:1::/60");  // 0x0002 masked to 0 by a non-byte prefix
    EXPECT_EQ(addressKey("2001:db8:1:12::1", 60), "2001:db8:1:10::/60");
}

TEST(AddressKey, RejectsWhatIsNotAnAddress) {
    EXPECT_EQ(addressKey(""), std::nullopt);
    EXPECT_EQ(addressKey("example.org"), std::nullopt);
    EXPECT_EQ(addressKey("1.2.3.4:80"), std::nullopt);
    EXPECT_EQ(addressKey("1.2.3.256"), std::nullopt);
    EXPECT_EQ(addressKey(std::string(100, '1')), std::nullopt);
    EXPECT_EQ(addressKey(std::string_view("1.2.3.4\0", 8)), std::nullopt);
}

TEST(HostOfPeer, SplitsPocoPeerStrings) {
    EXPECT_EQ(hostOfPeer("127.0.0.1:40000"), "127.0.0.1");
    EXPECT_EQ(hostOfPeer("[::1]:40000"), "::1");
    EXPECT_EQ(hostOfPeer("[2001:db8::1]:1"), "2001:db8::1");
    EXPECT_EQ(hostOfPeer("2001:db8::1"), "2001:db8::1");
    EXPECT_EQ(hostOfPeer("10.0.0.1"), "10.0.0.1");
}

TEST(IpNetwork, ParsesAndMatches) {
    auto net = IpNetwork::parse("10.0.0.0/8");
    ASSERT_TRUE(net);
    EXPECT_TRUE(net->contains("10.255.1.2"));
    EXPECT_TRUE(net->contains("::ffff:10.1.1.1"));
    EXPECT_FALSE(net->contains("11.0.0.1"));
    EXPECT_FALSE(net->contains("::1"));
    auto single = IpNetwork::parse("127.0.0.1");
    ASSERT_TRUE(single);
    EXPECT_TRUE(single->contains("127.0.0.1"));
    EXPECT_FALSE(single->contains("127.0.0.2"));
    auto v6 = IpNetwork::parse("fd00::/8");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->contains("fd12:3456::1"));
    EXPECT_FALSE(v6->contains("fe80::1"));
    EXPECT_FALSE(v6->contains("10.0.0.1"));
    auto everything = IpNetwork::parse("0.0.0.0/0");
    ASSERT_TRUE(everything);
    EXPECT_TRUE(everything->contains("8.8.8.8"));
}

TEST(IpNetwork, RejectsBadNetworks) {
    for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/8x", "10.0.0.0/-1", "host/8", "/8"})
        EXPECT_FALSE(IpNetwork::parse(bad)) << bad;
}

std::vector<IpNetwork> networks(std::initializer_list<const char*> list) {
    std::vector<IpNetwork> out;
    for (const char* text : list) out.push_back(*IpNetwork::parse(text));
    return out;
}

TEST(ClientAddress, UntrustedPeerIsTheClientWhateverItClaims) {
    EXPECT_EQ(clientAddress("198.51.100.9", "1.2.3.4", networks({"127.0.0.1"})), "198.51.100.9");
    EXPECT_EQ(clientAddress("198.51.100.9", "1.2.3.4", {}), "198.51.100.9");
}

TEST(ClientAddress, TrustedProxyGivesTheRightMostUntrustedHop) {
    const auto trusted = networks({"127.0.0.1", "10.0.0.0/8"});
    EXPECT_EQ(clientAddress("127.0.0.1", "203.0.113.5", trusted), "203.0.113.5");
    // A client that forges its own X-Forwarded-For only prepends: the proxy's entry is on the right.
    EXPECT_EQ(clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5", trusted), "203.0.113.5");
    EXPECT_EQ(clientAddress("127.0.0.1", "203.0.113.5, 10.1.2.3", trusted), "203.0.113.5");
    EXPECT_EQ(clientAddress("127.0.0.1", " 2001:db8::7 ", trusted), "2001:db8::7");
}

TEST(ClientAddress, MissingOrGarbageHeaderFallsBackToLastTrustedHop) {
    const auto trusted = networks({"127.0.0.1", "10.0.0.0/8"});
    EXPECT_EQ(clientAddress("127.0.0.1", "", trusted), "127.0.0.1");
    EXPECT_EQ(clientAddress("127.0.0.1", "unknown", trusted), "127.0.0.1");
    EXPECT_EQ(clientAddress("127.0.0.1", "203.0.113.5, junk, 10.0.0.2", trusted), "10.0.0.2");
    EXPECT_EQ(clientAddress("127.0.0.1", "10.0.0.3,10.0.0.2", trusted), "10.0.0.3");  // all trusted: the first
}

}  // namespace
}  // namespace chatd::limits
