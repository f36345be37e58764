#include "auth/jwt_verifier.h"

#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace chatd::auth {
namespace {

using namespace std::chrono_literals;
using SystemClock = std::chrono::system_clock;

const std::string kSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes
const SystemClock::time_point kNow = SystemClock::from_time_t(1'700'000'000);

std::string base64Url(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    encoder.close();
    return out.str();
}

class Sha256 : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
};

// Signs any header and payload text with HS256 (to build tokens no polite library would).
std::string rawToken(const std::string& header_json, const std::string& payload_json,
                     const std::string& secret = kSecret) {
    const std::string input = base64Url(header_json) + "." + base64Url(payload_json);
    Poco::HMACEngine<Sha256> hmac(secret);
    hmac.update(input);
    const auto& digest = hmac.digest();
    return input + "." + base64Url(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string hs256(const std::string& payload_json) { return rawToken(R"({"alg":"HS256","typ":"JWT"})", payload_json); }

// A token minted by Poco's own JWT library (what a C++ backend using Poco would send).
std::string pocoToken(const std::string& nick, SystemClock::time_point exp) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject("user-42");
    token.payload().set("nick", nick);
    token.setExpiration(Poco::Timestamp::fromEpochTime(SystemClock::to_time_t(exp)));
    Poco::JWT::Signer signer(kSecret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

JwtVerifier verifier(JwtSettings settings = {}) {
    settings.secret = kSecret;
    return JwtVerifier(settings);
}

void expectFailure(const AuthResult& result, AuthFailure failure) {
    ASSERT_TRUE(result.failure) << "accepted, nick " << result.nick;
    EXPECT_EQ(failureName(*result.failure), failureName(failure)) << result.reason;
    EXPECT_FALSE(result.reason.empty());
    EXPECT_TRUE(result.nick.empty());
}

TEST(JwtVerifier, AcceptsATokenMadeWithOpensslAndBash) {
    // Made as docs/security.md shows (openssl dgst -hmac), independently of Poco.
    const std::string token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiJhbGljZSIsIm5pY2siOiJBbGljZS5CIiwiaXNzIjoiaHR0cHM6Ly9iYWNrZW5kLmV4YW1wbGUiLCJhdWQiOiJjaGF0ZCIsImV4"
        "cCI6NDEwMjQ0NDgwMH0.F17Wl_lO_LvY4ddA0Ebzb0sSzNeWYsu_1cQt8Spp6vw";
    JwtSettings settings;
    settings.issuer = "https://backend.example";
    settings.audience = "chatd";
    const auto result = verifier(settings).verify(token, kNow);
    ASSERT_TRUE(result) << result.reason;
    EXPECT_EQ(result.nick, "Alice.B");
    EXPECT_EQ(result.subject, "alice");
}

TEST(JwtVerifier, LeewayCountsToTheMillisecond) {
    JwtSettings settings;
    settings.leeway = 1500ms;
    const auto checker = verifier(settings);
    const std::string expired_at_now = hs256(R"({"nick":"a","exp":1700000000})");
    EXPECT_TRUE(checker.verify(expired_at_now, kNow + 1200ms));  // a 1 s leeway would refuse it
    expectFailure(checker.verify(expired_at_now, kNow + 1600ms), AuthFailure::Expired);
    const std::string valid_from_now = hs256(R"({"nick":"a","exp":1800000000,"nbf":1700000000})");
    EXPECT_TRUE(checker.verify(valid_from_now, kNow - 1400ms));
    expectFailure(checker.verify(valid_from_now, kNow - 1600ms), AuthFailure::NotYetValid);
}

TEST(JwtVerifier, AcceptsATokenMintedByPocoJwt) {
    const auto result = verifier().verify(pocoToken("bob", kNow + 1h), kNow);
    ASSERT_TRUE(result) << result.reason;
    EXPECT_EQ(result.nick, "bob");
    EXPECT_EQ(result.subject, "user-42");
}

TEST(JwtVerifier, RefusesShortSecretsAndEmptyClaimName) {
    JwtSettings settings;
    settings.secret = std::string(31, 'k');
    EXPECT_THROW(JwtVerifier{settings}, std::invalid_argument);
    settings.secret = kSecret;
    settings.nick_claim = "";
    EXPECT_THROW(JwtVerifier{settings}, std::invalid_argument);
}

TEST(JwtVerifier, MissingAndTooLong) {
    expectFailure(verifier().verify("", kNow), AuthFailure::Missing);
    JwtSettings small;
    small.max_token_bytes = 100;
    expectFailure(verifier(small).verify(std::string(101, 'a'), kNow), AuthFailure::TooLong);
}

TEST(JwtVerifier, MalformedShapes) {
    const std::string good = hs256(R"({"nick":"a","exp":1800000000})");
    for (const std::string& bad : std::vector<std::string>{
             std::string("abc"), std::string("a.b"), good + ".x", std::string("a..c"), std::string(".b.c"),
             std::string("a.b."), std::string("a+b.c.d"), std::string("a.b.c=") /* padding is not base64url JWS */,
             good.substr(0, 20) + " " + good.substr(21)})
        expectFailure(verifier().verify(bad, kNow), AuthFailure::Malformed);
}

TEST(JwtVerifier, AnyChangedByteBreaksTheSignature) {
    const std::string good = hs256(R"({"nick":"eve","exp":1800000000})");
    ASSERT_TRUE(verifier().verify(good, kNow));
    const auto payload_at = good.find('.') + 3;
    std::string tampered = good;
    tampered[payload_at] = tampered[payload_at] == 'A' ? 'B' : 'A';
    expectFailure(verifier().verify(tampered, kNow), AuthFailure::BadSignature);
    std::string resigned = good;
    resigned.back() = resigned.back() == 'A' ? 'B' : 'A';
    expectFailure(verifier().verify(resigned, kNow), AuthFailure::BadSignature);
    expectFailure(verifier().verify(
                      rawToken(R"({"alg":"HS256"})", R"({"nick":"eve","exp":1800000000})", std::string(32, 'x')), kNow),
                  AuthFailure::BadSignature);
    // A truncated signature (a prefix of the right one) is not accepted either.
    expectFailure(verifier().verify(good.substr(0, good.size() - 1), kNow), AuthFailure::BadSignature);
}

TEST(JwtVerifier, OnlyHs256EvenWhenSignedWithOurSecret) {
    const std::string claims = R"({"nick":"eve","exp":1800000000})";
    expectFailure(verifier().verify(rawToken(R"({"alg":"none"})", claims), kNow), AuthFailure::UnsupportedAlgorithm);
    expectFailure(verifier().verify(rawToken(R"({"alg":"HS512"})", claims), kNow), AuthFailure::UnsupportedAlgorithm);
    expectFailure(verifier().verify(rawToken(R"({"typ":"JWT"})", claims), kNow), AuthFailure::UnsupportedAlgorithm);
    // The classic "alg: none" attack has no valid signature at all.
    const std::string none = base64Url(R"({"alg":"none"})") + "." + base64Url(claims) + ".";
    expectFailure(verifier().verify(none, kNow), AuthFailure::Malformed);
    expectFailure(verifier().verify(rawToken(R"({"alg":"HS256","crit":["exp"]})", claims), kNow),
                  AuthFailure::Malformed);
}

TEST(JwtVerifier, SignedButNotJson) {
    expectFailure(verifier().verify(rawToken(R"({"alg":"HS256"})", "not json"), kNow), AuthFailure::Malformed);
    expectFailure(verifier().verify(rawToken("[]", R"({"nick":"a"})"), kNow), AuthFailure::Malformed);
}

TEST(JwtVerifier, ExpiryWithLeeway) {
    const auto exp = SystemClock::to_time_t(kNow);
    const std::string token = hs256(R"({"nick":"a","exp":)" + std::to_string(exp) + "}");
    EXPECT_TRUE(verifier().verify(token, kNow + 30s));  // default leeway 30 s
    expectFailure(verifier().verify(token, kNow + 31s), AuthFailure::Expired);
    JwtSettings strict;
    strict.leeway = 0s;
    EXPECT_TRUE(verifier(strict).verify(token, kNow));
    expectFailure(verifier(strict).verify(token, kNow + 1s), AuthFailure::Expired);
    EXPECT_TRUE(verifier().verify(hs256(R"({"nick":"a","exp":)" + std::to_string(exp) + ".75}"), kNow + 30s));
}

TEST(JwtVerifier, ExpiryIsRequiredUnlessTurnedOff) {
    const std::string token = hs256(R"({"nick":"a"})");
    expectFailure(verifier().verify(token, kNow), AuthFailure::MissingExpiry);
    JwtSettings lax;
    lax.require_expiry = false;
    EXPECT_TRUE(verifier(lax).verify(token, kNow));
}

TEST(JwtVerifier, NotBeforeWithLeeway) {
    const auto nbf = SystemClock::to_time_t(kNow + 60s);
    const std::string token = hs256(R"({"nick":"a","exp":1800000000,"nbf":)" + std::to_string(nbf) + "}");
    expectFailure(verifier().verify(token, kNow), AuthFailure::NotYetValid);
    EXPECT_TRUE(verifier().verify(token, kNow + 30s));
}

TEST(JwtVerifier, DatesMustBeNumbers) {
    expectFailure(verifier().verify(hs256(R"({"nick":"a","exp":"1800000000"})"), kNow), AuthFailure::Malformed);
    expectFailure(verifier().verify(hs256(R"({"nick":"a","exp":true})"), kNow), AuthFailure::Malformed);
    expectFailure(verifier().verify(hs256(R"({"nick":"a","exp":1800000000,"nbf":{}})"), kNow), AuthFailure::Malformed);
}

TEST(JwtVerifier, IssuerWhenConfigured) {
    JwtSettings settings;
    settings.issuer = "https://backend.example";
    EXPECT_TRUE(
        verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000,"iss":"https://backend.example"})"), kNow));
    expectFailure(verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000,"iss":"https://evil"})"), kNow),
                  AuthFailure::WrongIssuer);
    expectFailure(verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000})"), kNow), AuthFailure::WrongIssuer);
    expectFailure(verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000,"iss":7})"), kNow),
                  AuthFailure::WrongIssuer);
    EXPECT_TRUE(verifier().verify(hs256(R"({"nick":"a","exp":1800000000,"iss":"anyone"})"), kNow));  // not checked
}

TEST(JwtVerifier, AudienceStringOrArray) {
    JwtSettings settings;
    settings.audience = "chatd";
    auto check = [&](const std::string& aud) {
        return verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000,"aud":)" + aud + "}"), kNow);
    };
    EXPECT_TRUE(check(R"("chatd")"));
    EXPECT_TRUE(check(R"(["other","chatd"])"));
    expectFailure(check(R"("other")"), AuthFailure::WrongAudience);
    expectFailure(check(R"(["other"])"), AuthFailure::WrongAudience);
    expectFailure(check(R"([1,2])"), AuthFailure::WrongAudience);
    expectFailure(verifier(settings).verify(hs256(R"({"nick":"a","exp":1800000000})"), kNow),
                  AuthFailure::WrongAudience);
    // RFC 7519 4.1.3: a token meant for some audience is refused by a server that is not configured as one.
    expectFailure(verifier().verify(hs256(R"({"nick":"a","exp":1800000000,"aud":"chatd"})"), kNow),
                  AuthFailure::WrongAudience);
}

TEST(JwtVerifier, NickFromClaimThenSub) {
    EXPECT_EQ(verifier().verify(hs256(R"({"sub":"subject","exp":1800000000})"), kNow).nick, "subject");
    EXPECT_EQ(verifier().verify(hs256(R"({"sub":"subject","nick":"chosen","exp":1800000000})"), kNow).nick, "chosen");
    JwtSettings settings;
    settings.nick_claim = "preferred_username";
    EXPECT_EQ(verifier(settings).verify(hs256(R"({"preferred_username":"pu","nick":"n","exp":1800000000})"), kNow).nick,
              "pu");
    expectFailure(verifier().verify(hs256(R"({"exp":1800000000})"), kNow), AuthFailure::MissingNick);
}

TEST(JwtVerifier, NickMustFollowTheNickRules) {
    for (const std::string& nick :
         std::vector<std::string>{R"("")", R"("has space")", R"("x<script>")", R"(")" + std::string(33, 'a') + R"(")",
                                  R"(42)", R"(null)", R"(["a"])", R"("n\u00e9")"})
        expectFailure(verifier().verify(hs256(R"({"nick":)" + nick + R"(,"exp":1800000000})"), kNow),
                      AuthFailure::InvalidNick);
    // A bad nick claim does not fall back to sub.
    expectFailure(verifier().verify(hs256(R"({"nick":"bad nick","sub":"good","exp":1800000000})"), kNow),
                  AuthFailure::InvalidNick);
    EXPECT_TRUE(verifier().verify(hs256(R"({"nick":")" + std::string(32, 'a') + R"(","exp":1800000000})"), kNow));
}

TEST(FailureName, DistinctLabelValues) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(AuthFailure::InvalidNick); ++i)
        names.insert(failureName(static_cast<AuthFailure>(i)));
    EXPECT_EQ(names.size(), static_cast<std::size_t>(AuthFailure::InvalidNick) + 1);
    EXPECT_EQ(failureName(AuthFailure::BadSignature), "bad_signature");
}

}  // namespace
}  // namespace chatd::auth
