// Plugin names, origins, URL paths and typo suggestions.
#include <gtest/gtest.h>

#include "config/names.h"

namespace chatd::config {
namespace {

TEST(Names, PluginNames) {
    EXPECT_TRUE(isValidPluginName("profanity_filter-2"));
    EXPECT_FALSE(isValidPluginName(""));
    EXPECT_FALSE(isValidPluginName("a.b"));
    EXPECT_FALSE(isValidPluginName("../evil"));
    EXPECT_FALSE(isValidPluginName("with space"));
}

TEST(Names, ValidOrigins) {
    for (const char* origin :
         {"*", "https://chat.example.org", "http://localhost:8080", "http://127.0.0.1", "https://[::1]:8443",
          "http://[2001:db8::1]", "https://a-b.example:1", "https://example.org:65535"})
        EXPECT_EQ(originProblem(origin), "") << origin;
}

TEST(Names, InvalidOriginsSayWhy) {
    EXPECT_NE(originProblem("chat.example.org").find("scheme://host[:port]"), std::string::npos);
    EXPECT_NE(originProblem("ftp://example.org").find("http or https, got 'ftp'"), std::string::npos);
    EXPECT_NE(originProblem("https://").find("host is missing"), std::string::npos);
    EXPECT_NE(originProblem("https://example.org/").find("no path"), std::string::npos);
    EXPECT_NE(originProblem("https://example.org/chat").find("no path"), std::string::npos);
    for (const char* port : {"https://example.org:", "https://example.org:0", "https://example.org:65536",
                             "https://example.org:-1", "https://example.org:http"})
        EXPECT_NE(originProblem(port).find("port must be"), std::string::npos) << port;
    for (const char* host : {"https://:80", "https://exa mple.org", "https://::1", "https://[::1", "https://*"})
        EXPECT_NE(originProblem(host).find("host must be"), std::string::npos) << host;
    EXPECT_NE(originProblem("").find("scheme://host"), std::string::npos);
}

TEST(Names, UrlPaths) {
    EXPECT_EQ(urlPathProblem("/"), "");
    EXPECT_EQ(urlPathProblem("/chat/ws"), "");
    EXPECT_EQ(urlPathProblem("ws"), "must start with '/'");
    EXPECT_EQ(urlPathProblem(""), "must start with '/'");
    EXPECT_EQ(urlPathProblem("/ws?x=1"), "must not contain '?' or '#'");
    EXPECT_EQ(urlPathProblem("/ws#top"), "must not contain '?' or '#'");
    EXPECT_EQ(urlPathProblem("/w s"), "must not contain spaces or control characters");
    EXPECT_EQ(urlPathProblem("/w\ts"), "must not contain spaces or control characters");
}

TEST(Names, EditDistance) {
    EXPECT_EQ(editDistance("port", "port"), 0u);
    EXPECT_EQ(editDistance("prot", "port"), 1u);  // a swap counts once
    EXPECT_EQ(editDistance("pot", "port"), 1u);
    EXPECT_EQ(editDistance("ports", "port"), 1u);
    EXPECT_EQ(editDistance("pxrt", "port"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
    EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(Names, ClosestMatchWithinTwoEdits) {
    const std::string_view keys[] = {"address", "port"};
    EXPECT_EQ(closestMatch("prot", keys), "port");
    EXPECT_EQ(closestMatch("adress", keys), "address");
    EXPECT_EQ(closestMatch("adr", keys), "");
    EXPECT_EQ(closestMatch("pxyt", keys), "port");
    EXPECT_EQ(closestMatch("xxxx", keys), "");
    const std::string_view tie[] = {"ab", "ac"};
    EXPECT_EQ(closestMatch("a", tie), "ab");
}

}  // namespace
}  // namespace chatd::config
