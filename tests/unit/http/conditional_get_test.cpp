// ETag format, HTTP dates and the If-None-Match / If-Modified-Since rules.
#include "http/conditional_get.h"

#include <gtest/gtest.h>

#include <string>

namespace chatd::http {
namespace {

constexpr std::time_t kMtime = 1700000000;  // Tue, 14 Nov 2023 22:13:20 GMT

TEST(ConditionalGet, ETagIsQuotedSizeAndMtimeInHex) {
    EXPECT_EQ(makeETag(0, 0), "\"0-0\"");
    EXPECT_EQ(makeETag(255, 4096), "\"ff-1000\"");
    EXPECT_EQ(makeETag(1, 1'700'000'000'123'456'789), "\"1-17979cfe3d85cd15\"");
    EXPECT_NE(makeETag(10, 1), makeETag(10, 2));
    EXPECT_NE(makeETag(10, 1), makeETag(11, 1));
}

TEST(ConditionalGet, IfNoneMatchSingleAndList) {
    const std::string etag = "\"ff-1000\"";
    EXPECT_TRUE(ifNoneMatchMatches("\"ff-1000\"", etag));
    EXPECT_TRUE(ifNoneMatchMatches("\"a\", \"ff-1000\"", etag));
    EXPECT_TRUE(ifNoneMatchMatches("\"a\",\"b\",\t\"ff-1000\"", etag));
    EXPECT_TRUE(ifNoneMatchMatches("  \"ff-1000\"  ", etag));
    EXPECT_FALSE(ifNoneMatchMatches("\"a\", \"b\"", etag));
    EXPECT_FALSE(ifNoneMatchMatches("\"ff-100\"", etag));
    EXPECT_FALSE(ifNoneMatchMatches("ff-1000", etag));  // unquoted is not an entity-tag
    EXPECT_FALSE(ifNoneMatchMatches("", etag));
}

TEST(ConditionalGet, IfNoneMatchStarMatchesAnything) {
    EXPECT_TRUE(ifNoneMatchMatches("*", "\"x\""));
    EXPECT_TRUE(ifNoneMatchMatches(" * ", "\"x\""));
}

TEST(ConditionalGet, IfNoneMatchUsesWeakComparison) {
    EXPECT_TRUE(ifNoneMatchMatches("W/\"ff-1000\"", "\"ff-1000\""));
    EXPECT_TRUE(ifNoneMatchMatches("\"ff-1000\"", "W/\"ff-1000\""));
    EXPECT_TRUE(ifNoneMatchMatches("\"x\", W/\"ff-1000\"", "\"ff-1000\""));
}

TEST(ConditionalGet, IfNoneMatchCommaInsideTagAndJunk) {
    EXPECT_TRUE(ifNoneMatchMatches("\"a,b\"", "\"a,b\""));
    EXPECT_FALSE(ifNoneMatchMatches("\"a,b\"", "\"a\""));
    EXPECT_TRUE(ifNoneMatchMatches("junk, \"ok\"", "\"ok\""));
    EXPECT_TRUE(ifNoneMatchMatches("\"x\"junk, \"ok\"", "\"ok\""));
    EXPECT_FALSE(ifNoneMatchMatches("\"ok", "\"ok\""));  // unterminated
    EXPECT_FALSE(ifNoneMatchMatches(",,,", "\"ok\""));
}

TEST(ConditionalGet, IfModifiedSinceAllThreeDateFormats) {
    EXPECT_TRUE(notModifiedSince("Tue, 14 Nov 2023 22:13:20 GMT", kMtime));
    EXPECT_TRUE(notModifiedSince("Tuesday, 14-Nov-23 22:13:20 GMT", kMtime));
    EXPECT_TRUE(notModifiedSince("Tue Nov 14 22:13:20 2023", kMtime));
}

TEST(ConditionalGet, IfModifiedSinceBoundaries) {
    EXPECT_TRUE(notModifiedSince("Tue, 14 Nov 2023 22:13:21 GMT", kMtime));
    EXPECT_FALSE(notModifiedSince("Tue, 14 Nov 2023 22:13:19 GMT", kMtime));
    EXPECT_FALSE(notModifiedSince("Thu, 01 Jan 1970 00:00:00 GMT", kMtime));
}

TEST(ConditionalGet, IfModifiedSinceUnparsableIsIgnored) {
    EXPECT_FALSE(notModifiedSince("", kMtime));
    EXPECT_FALSE(notModifiedSince("yesterday", kMtime));
    EXPECT_FALSE(notModifiedSince("1700000000", kMtime));
    EXPECT_FALSE(notModifiedSince("Tue, 14 Nov 2023", kMtime));  // date without time
    EXPECT_FALSE(notModifiedSince("Tue, 14 Nov 2023 22:13:20 GMT, Tue, 14 Nov 2023 22:13:20 GMT", kMtime));
}

TEST(ConditionalGet, IfNoneMatchTakesPrecedenceOverIfModifiedSince) {
    const std::string etag = "\"e\"";
    const std::string match = "\"e\"";
    const std::string other = "\"other\"";
    const std::string later = "Tue, 14 Nov 2023 22:13:20 GMT";
    const std::string earlier = "Thu, 01 Jan 1970 00:00:00 GMT";

    EXPECT_FALSE(isNotModified({}, etag, kMtime));
    EXPECT_TRUE(isNotModified({&match, nullptr}, etag, kMtime));
    EXPECT_FALSE(isNotModified({&other, nullptr}, etag, kMtime));
    EXPECT_TRUE(isNotModified({nullptr, &later}, etag, kMtime));
    EXPECT_FALSE(isNotModified({nullptr, &earlier}, etag, kMtime));
    EXPECT_FALSE(isNotModified({&other, &later}, etag, kMtime));
    EXPECT_TRUE(isNotModified({&match, &earlier}, etag, kMtime));
}

}  // namespace
}  // namespace chatd::http
