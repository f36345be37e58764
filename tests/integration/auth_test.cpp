// auth.mode jwt against the real server: no upgrade without a good token
// (401 before the upgrade, counted by reason), the token's nick is the
// session's nick and cannot be changed, reload switches auth on.
#include <Poco/Base64Encoder.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <gtest/gtest.h>

#include <sstream>

#include "security_helpers.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

const std::string kSecret = "test-secret-test-secret-test-secret!";  // >= 32 bytes

struct Claims {
    std::optional<std::string> nick = "alice";
    std::string issuer = "https://backend.example";
    std::string audience = "chatd";
    std::chrono::seconds expires_in{300};
    std::string secret = kSecret;
};

// A token as a deployment's backend would mint it (Poco's own signer, HS256).
std::string mint(const Claims& claims = {}) {
    Poco::JWT::Token token;
    token.setType("JWT");
    if (claims.nick) token.payload().set("nick", *claims.nick);
    token.setSubject("user-42");
    token.setIssuer(claims.issuer);
    token.setAudience(claims.audience);
    token.setIssuedAt(Poco::Timestamp());
    token.setExpiration(Poco::Timestamp() + Poco::Timespan(claims.expires_in.count(), 0));
    Poco::JWT::Signer signer(claims.secret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string base64url(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}

void enableJwt(config::Config& config) {
    config.auth.mode = config::AuthMode::Jwt;
    config.auth.secret = kSecret;
    config.auth.issuer = "https://backend.example";
    config.auth.audience = "chatd";
}

WsClient::Handshake withToken(TestServer& server, const std::string& token, bool raw = false) {
    WsOptions options;
    options.path = "/ws?token=" + token;
    if (raw) options.protocol = std::nullopt;
    return WsClient::handshake(server.port(), options);
}

double failures(TestServer& server, const std::string& reason) {
    return metricValue(server, "chatd_auth_failures_total{reason=\"" + reason + "\"}");
}

TEST(Auth, NoTokenIs401BeforeTheUpgrade) {
    TestServer server(enableJwt);
    const auto refused = WsClient::handshake(server.port());
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.client, nullptr);
    EXPECT_NE(refused.head.find("WWW-Authenticate: Bearer"), std::string::npos);
    EXPECT_EQ(withToken(server, "").status, 401);
    EXPECT_EQ(failures(server, "missing"), 2);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"auth\"}"), 2);
}

TEST(Auth, EveryBadTokenIs401WithItsReasonCounted) {
    TestServer server(enableJwt);
    Claims expired;
    expired.expires_in = std::chrono::seconds(-3600);
    EXPECT_EQ(withToken(server, mint(expired)).status, 401);
    EXPECT_EQ(failures(server, "expired"), 1);

    Claims other_key;
    other_key.secret = std::string(40, 'k');
    EXPECT_EQ(withToken(server, mint(other_key)).status, 401);
    EXPECT_EQ(failures(server, "bad_signature"), 1);

    Claims wrong_issuer;
    wrong_issuer.issuer = "https://elsewhere.example";
    EXPECT_EQ(withToken(server, mint(wrong_issuer)).status, 401);
    EXPECT_EQ(failures(server, "wrong_issuer"), 1);

    Claims wrong_audience;
    wrong_audience.audience = "another-service";
    EXPECT_EQ(withToken(server, mint(wrong_audience)).status, 401);
    EXPECT_EQ(failures(server, "wrong_audience"), 1);

    Claims bad_nick;
    bad_nick.nick = "no spaces allowed";
    EXPECT_EQ(withToken(server, mint(bad_nick)).status, 401);
    EXPECT_EQ(failures(server, "invalid_nick"), 1);

    // alg "none": an unsigned token must never pass.
    const std::string good = mint();
    const std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
    EXPECT_EQ(withToken(server, base64url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".").status, 401);
    // A tampered payload.
    std::string tampered = good;
    tampered[good.find('.') + 5] = tampered[good.find('.') + 5] == 'A' ? 'B' : 'A';
    EXPECT_EQ(withToken(server, tampered).status, 401);
    EXPECT_EQ(withToken(server, "not-a-token").status, 401);
    EXPECT_EQ(metricValue(server, "chatd_upgrades_total{result=\"accepted\"}"), 0);
}

TEST(Auth, AGoodTokenConnectsWithTheNickFromItsClaim) {
    TestServer server(enableJwt);
    auto connected = withToken(server, mint());
    ASSERT_EQ(connected.status, 101);
    auto& client = *connected.client;
    client.sendText(R"({"type":"join","room":"r"})");
    EXPECT_EQ(str(client.waitFor("welcome"), "nick"), "alice");
    client.sendText(R"({"type":"message","text":"hi"})");
    EXPECT_EQ(str(client.waitFor("message"), "from"), "alice");
}

TEST(Auth, TheTokensNickCannotBeChanged) {
    TestServer server(enableJwt);
    auto connected = withToken(server, mint());
    ASSERT_EQ(connected.status, 101);
    auto& client = *connected.client;
    client.sendText(R"({"type":"join","room":"r","nick":"mallory","id":"j1"})");
    json::Value error = client.waitFor("error");
    EXPECT_EQ(str(error, "code"), "nick_locked");
    EXPECT_EQ(str(error, "id"), "j1");
    client.sendText(R"({"type":"join","room":"r","nick":"alice"})");  // its own nick is fine
    EXPECT_EQ(str(client.waitFor("welcome"), "nick"), "alice");
    client.sendText(R"({"type":"nick","nick":"bob","id":"n1"})");
    error = client.waitFor("error");
    EXPECT_EQ(str(error, "code"), "nick_locked");
    EXPECT_EQ(str(error, "id"), "n1");
    client.sendText(R"({"type":"message","text":"still me"})");
    EXPECT_EQ(str(client.waitFor("message"), "from"), "alice");
}

TEST(Auth, RawClientsNeedATokenAndUseItsNick) {
    TestServer server(enableJwt);
    WsOptions raw_without_token;
    raw_without_token.protocol = std::nullopt;
    EXPECT_EQ(WsClient::handshake(server.port(), raw_without_token).status, 401);
    auto watcher = withToken(server, mint());
    ASSERT_EQ(watcher.status, 101);
    watcher.client->sendText(R"({"type":"join"})");  // the default room, where raw clients are
    watcher.client->waitFor("welcome");
    Claims bot;
    bot.nick = "raw-bot";
    auto raw = withToken(server, mint(bot), true);
    ASSERT_EQ(raw.status, 101);
    watcher.client->waitForPresence("join", "raw-bot");
}

TEST(Auth, BearerHeaderWorksToo) {
    TestServer server(enableJwt);
    WsOptions options;
    options.headers["Authorization"] = "Bearer " + mint();
    EXPECT_EQ(WsClient::handshake(server.port(), options).status, 101);
}

TEST(Auth, ModeNoneNeedsNoToken) {
    TestServer server;
    EXPECT_EQ(WsClient::handshake(server.port()).status, 101);
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"join","nick":"free"})");
    EXPECT_EQ(str(client->waitFor("welcome"), "nick"), "free");
}

TEST(Auth, ReloadTurnsAuthOnForNewConnectionsOnly) {
    TestServer server;
    auto before = WsClient::connect(server.port());
    before->sendText(R"({"type":"join","room":"r","nick":"early"})");
    before->waitFor("welcome");
    config::Config next = *server.server().config();
    enableJwt(next);
    ASSERT_TRUE(server.server().reload(next).applied);
    EXPECT_EQ(WsClient::handshake(server.port()).status, 401);
    EXPECT_EQ(withToken(server, mint()).status, 101);
    before->sendText(R"({"type":"message","text":"still here"})");
    EXPECT_EQ(str(before->waitFor("message"), "text"), "still here");
}

}  // namespace
}  // namespace chatd::testing
