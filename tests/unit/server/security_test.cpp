// The auth section as the token checker gets it (server/security.h).
#include "server/security.h"

#include <gtest/gtest.h>

#include "auth/jwt_verifier.h"

namespace chatd::server {
namespace {

using namespace std::chrono_literals;

TEST(JwtSettingsOf, KeepsEveryFieldAndTheLeewayToTheMillisecond) {
    config::AuthConfig auth;
    auth.secret = "0123456789abcdef0123456789abcdef";
    auth.issuer = "https://www.example.org";
    auth.audience = "chatd";
    auth.nick_claim = "name";
    auth.leeway = 1500ms;
    const auth::JwtSettings settings = jwtSettingsOf(auth);
    EXPECT_EQ(settings.secret, auth.secret);
    EXPECT_EQ(settings.issuer, auth.issuer);
    EXPECT_EQ(settings.audience, auth.audience);
    EXPECT_EQ(settings.nick_claim, "name");
    EXPECT_EQ(settings.leeway, 1500ms);  // not cut to 1 s
    auth.leeway = 999ms;
    EXPECT_EQ(jwtSettingsOf(auth).leeway, 999ms);  // not cut to 0
}

}  // namespace
}  // namespace chatd::server
