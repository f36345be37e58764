// The shipped moderation plugin against the built chatd binary, driven by
// chatdctl: a mute refuses messages with `muted` and tells the subject, a ban
// closes the connection with 4003 (the room sees the leave as "banned") and
// refuses later joins with `banned`, an
// address ban answers upgrades with 403, and the bans survive a restart;
// with token auth, a moderator's chat commands act and others' are rejected,
// and the room sees a kick's leave as "kicked" and a room ban's as "banned".
#include <gtest/gtest.h>

#include <csignal>

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "daemon_fixture.h"
#include "json/json_reader.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

using namespace std::chrono_literals;

struct ModeratedDaemon {
    explicit ModeratedDaemon(const TempDir& dir)
        : socket((dir.path() / "ctl.sock").string()),
          daemon(testYaml("control:\n  socket: " + socket +
                          "\nplugins:\n  - name: moderation\n    tick: 200ms\n")) {}
    // Runs `chatdctl plugin moderation <args>`: {exit code, output}.
    std::pair<int, std::string> moderate(std::vector<std::string> args) const {
        args.insert(args.begin(), {"plugin", "moderation"});
        return ctl(std::move(args));
    }
    // Runs `chatdctl <args>`: {exit code, output}.
    std::pair<int, std::string> ctl(std::vector<std::string> args) const { return runChatdctl(socket, std::move(args)); }
    std::string socket;
    Daemon daemon;
};

std::unique_ptr<WsClient> joined(std::uint16_t port, const std::string& room, const std::string& nick) {
    return joinedClient(port, nick, room);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Moderation, MuteBanUnbanAndAddressBanThroughChatdctl) {
    TempDir dir;
    ModeratedDaemon chatd(dir);
    std::uint16_t port = chatd.daemon.port();
    auto bob = joined(port, "lobby", "bob");
    auto carol = joined(port, "lobby", "carol");

    // mute: bob is told until when, his messages get `muted`.
    auto [code, out] = chatd.moderate({"mute", "bob", "--for", "10m", "--reason", "calm down"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_TRUE(contains(str(bob->waitFor("notice"), "text"), "muted everywhere until"));
    bob->sendText(R"({"type":"message","room":"lobby","text":"hello"})");
    const json::Value muted = bob->waitFor("error");
    EXPECT_EQ(str(muted, "code"), "muted");
    EXPECT_TRUE(contains(str(muted, "reason"), "calm down"));
    std::tie(code, out) = chatd.moderate({"unmute", "bob"});
    ASSERT_EQ(code, 0) << out;

    // ban by nick: 4003 now (carol sees bob leave as "banned"), `banned` at
    // the next join; the list says who and why.
    std::tie(code, out) = chatd.moderate({"ban", "bob", "--reason", "spam", "--by", "ops"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_EQ(bob->waitClosed(10s), 4003);
    EXPECT_EQ(str(carol->waitForPresence("leave", "bob", 10s), "reason"), "banned");
    auto again = WsClient::connect(port);
    again->sendText(R"({"type":"join","room":"lobby","nick":"Bob","id":"j1"})");
    const json::Value refused = again->waitFor("error");
    EXPECT_EQ(str(refused, "code"), "banned");
    EXPECT_TRUE(contains(str(refused, "reason"), "spam"));
    std::tie(code, out) = chatd.moderate({"bans"});
    EXPECT_EQ(code, 0);
    EXPECT_TRUE(contains(out, "\"by\":\"ops\"")) << out;
    std::tie(code, out) = chatd.ctl({"bans"});  // the short form
    EXPECT_EQ(code, 0);
    EXPECT_TRUE(contains(out, "\"reason\":\"spam\"")) << out;
    std::tie(code, out) = chatd.moderate({"ban", "bob", "--for", "soon"});
    EXPECT_EQ(code, 1);
    EXPECT_TRUE(contains(out, "bad duration")) << out;

    // The ban survives a restart (the state file), then unban lets him in.
    chatd.daemon.process().signal(SIGTERM);
    ASSERT_TRUE(chatd.daemon.process().waitExit(20s));
    chatd.daemon.restart();
    port = chatd.daemon.port();
    auto after = WsClient::connect(port);
    after->sendText(R"({"type":"join","room":"lobby","nick":"bob","id":"j2"})");
    EXPECT_EQ(str(after->waitFor("error"), "code"), "banned");
    std::tie(code, out) = chatd.ctl({"unban", "bob"});  // the short form
    ASSERT_EQ(code, 0) << out;
    after->sendText(R"({"type":"join","room":"lobby","nick":"bob","id":"j3"})");
    after->waitFor("welcome");

    // An address ban closes every connection from it and answers upgrades with 403.
    auto dave = joined(port, "dev", "dave");
    std::tie(code, out) = chatd.moderate({"ban", "127.0.0.0/8", "--for", "1h", "--reason", "flood"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_EQ(after->waitClosed(10s), 4003);
    EXPECT_EQ(dave->waitClosed(10s), 4003);
    EXPECT_EQ(WsClient::handshake(port).status, 403);
    std::tie(code, out) = chatd.moderate({"unban", "127.0.0.0/8"});
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(WsClient::handshake(port).status, 403);
}

const std::string kSecret = "9f2c41d7b03e5a8c6d1f72e4a09b3c58";  // 32 bytes, random enough for the check

// An HS256 token with the nick and role claims, as a backend would mint it.
std::string mint(const std::string& nick, const std::string& role) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.payload().set("nick", nick);
    token.payload().set("role", role);
    token.setSubject("user-" + nick);
    token.setIssuedAt(Poco::Timestamp());
    token.setExpiration(Poco::Timestamp() + Poco::Timespan(300, 0));
    Poco::JWT::Signer signer(kSecret);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::unique_ptr<WsClient> joinedWithToken(std::uint16_t port, const std::string& nick, const std::string& role) {
    WsOptions options;
    options.path = "/ws?token=" + mint(nick, role);
    auto client = WsClient::connect(port, options);
    client->sendText(R"({"type":"join","room":"lobby","nick":")" + nick + R"("})");
    client->waitFor("welcome");
    return client;
}

TEST(Moderation, ModeratorsActFromTheChatOthersAreRejected) {
    TempDir dir;
    Daemon daemon(testYaml("auth:\n  mode: jwt\n  secret: \"" + kSecret +
                           "\"\nplugins:\n  - name: moderation\n"));
    const std::uint16_t port = daemon.port();
    auto mod = joinedWithToken(port, "mod", "moderator");
    auto bob = joinedWithToken(port, "bob", "user");

    bob->sendText(R"({"type":"message","room":"lobby","text":"/ban mod 1d"})");
    EXPECT_EQ(str(bob->waitFor("error"), "code"), "rejected");

    mod->sendText(R"({"type":"message","room":"lobby","text":"/mute bob 10m shh"})");
    EXPECT_TRUE(contains(str(mod->waitFor("notice"), "text"), "mute of bob in lobby until"));
    EXPECT_TRUE(contains(str(bob->waitFor("notice"), "text"), "muted in lobby until"));
    bob->sendText(R"({"type":"message","room":"lobby","text":"but"})");
    EXPECT_EQ(str(bob->waitFor("error"), "code"), "muted");

    mod->sendText(R"({"type":"message","room":"lobby","text":"/kick bob off topic"})");
    const json::Value kicked = bob->waitFor("kicked");
    EXPECT_EQ(str(kicked, "room"), "lobby");
    EXPECT_EQ(str(kicked, "reason"), "off topic");
    EXPECT_EQ(str(mod->waitForPresence("leave", "bob"), "reason"), "kicked");

    // A ban from the room: bob is removed, the others see a leave "banned".
    bob->sendText(R"({"type":"join","room":"lobby","nick":"bob"})");
    bob->waitFor("welcome");
    mod->sendText(R"({"type":"message","room":"lobby","text":"/ban bob 1d spam"})");
    EXPECT_EQ(str(bob->waitFor("kicked"), "reason"), "banned: spam");
    EXPECT_EQ(str(mod->waitForPresence("leave", "bob"), "reason"), "banned");
}

}  // namespace
}  // namespace chatd::testing
