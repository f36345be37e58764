#include "auth/token_source.h"

#include <gtest/gtest.h>

namespace chatd::auth {
namespace {

TEST(RequestToken, FromTheQuery) {
    EXPECT_EQ(requestToken("/ws?token=a.b.c", ""), "a.b.c");
    EXPECT_EQ(requestToken("/ws?room=x&token=a.b.c&y=1", ""), "a.b.c");
    EXPECT_EQ(requestToken("/?token=a%2Eb.c", ""), "a.b.c");  // percent-decoded
    EXPECT_EQ(requestToken("/ws?token=a%zz", ""), "a%zz");    // a bad escape stays (and then fails)
    EXPECT_EQ(requestToken("/ws?token=a%2", ""), "a%2");
    EXPECT_EQ(requestToken("/ws?token=first&token=second", ""), "first");
    EXPECT_EQ(requestToken("/ws?token=", ""), "");
    EXPECT_EQ(requestToken("/ws?token", ""), "");
    EXPECT_EQ(requestToken("/ws?token=abc#frag", ""), "abc");
    EXPECT_EQ(requestToken("/ws?xtoken=abc", ""), std::nullopt);
    EXPECT_EQ(requestToken("/ws", ""), std::nullopt);
    EXPECT_EQ(requestToken("/token=abc", ""), std::nullopt);
}

TEST(RequestToken, FromABearerHeaderWhenTheQueryHasNone) {
    EXPECT_EQ(requestToken("/ws", "Bearer a.b.c"), "a.b.c");
    EXPECT_EQ(requestToken("/ws", "bearer   a.b.c  "), "a.b.c");
    EXPECT_EQ(requestToken("/ws?token=q", "Bearer h"), "q");  // the query wins
    EXPECT_EQ(requestToken("/ws", "Basic dXNlcjpwYXNz"), std::nullopt);
    EXPECT_EQ(requestToken("/ws", "Bearer "), std::nullopt);
    EXPECT_EQ(requestToken("/ws", "Bearer"), std::nullopt);
    EXPECT_EQ(requestToken("/ws", "Bearerx"), std::nullopt);
}

TEST(RedactToken, HidesEveryTokenKeepsTheRest) {
    EXPECT_EQ(redactToken("/ws?token=secret.jwt.value"), "/ws?token=REDACTED");
    EXPECT_EQ(redactToken("/ws?a=1&token=s&b=2&token=t#f"), "/ws?a=1&token=REDACTED&b=2&token=REDACTED#f");
    EXPECT_EQ(redactToken("/ws"), "/ws");
    EXPECT_EQ(redactToken("/ws?"), "/ws?");
    EXPECT_EQ(redactToken("/ws?tokenx=1"), "/ws?tokenx=1");
}

}  // namespace
}  // namespace chatd::auth
