// The WebSocket layer against the real server: handshake checks, framing
// violations and their close codes, ping/pong, fragments, the close handshake.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <thread>

#include "json/json_reader.h"
#include "test_server.h"
#include "ws_client.h"

namespace chatd::testing {
namespace {

std::unique_ptr<WsClient> inRoom(TestServer& server) {
    auto client = WsClient::connect(server.port());
    client->sendText(R"({"type":"join"})");
    client->waitFor("welcome");
    return client;
}

TEST(Handshake, ChatdV1IsEchoedAndNoProtocolMeansRaw) {
    TestServer server;
    auto json_client = WsClient::connect(server.port());
    EXPECT_NE(json_client->responseHead().find("Sec-WebSocket-Protocol: chatd.v1"), std::string::npos);
    WsOptions raw;
    raw.protocol = std::nullopt;
    auto raw_client = WsClient::connect(server.port(), raw);
    EXPECT_EQ(raw_client->responseHead().find("Sec-WebSocket-Protocol"), std::string::npos);
    WsOptions several;
    several.protocol = "mqtt, chatd.v1";
    EXPECT_EQ(WsClient::handshake(server.port(), several).status, 101);
}

// RFC 7230 lets the offer come as several header lines: chatd.v1 on the
// second line is an offer of chatd.v1 all the same.
TEST(Handshake, SubProtocolOfferedOnSeveralHeaderLines) {
    TestServer server;
    WsOptions two_lines;
    two_lines.protocol = "mqtt\r\nSec-WebSocket-Protocol: chatd.v1";  // a second header line
    auto result = WsClient::handshake(server.port(), two_lines);
    ASSERT_EQ(result.status, 101) << result.head;
    EXPECT_NE(result.head.find("Sec-WebSocket-Protocol: chatd.v1"), std::string::npos);
    result.client->sendText(R"({"type":"join","nick":"two-lines"})");
    EXPECT_EQ(str(result.client->waitFor("welcome"), "nick"), "two-lines");  // JSON mode

    WsOptions none_known;
    none_known.protocol = "mqtt\r\nSec-WebSocket-Protocol: x.v2";
    EXPECT_EQ(WsClient::handshake(server.port(), none_known).status, 400);
}

TEST(Handshake, Refusals) {
    TestServer server;
    WsOptions unknown_protocol;
    unknown_protocol.protocol = "mqtt";
    EXPECT_EQ(WsClient::handshake(server.port(), unknown_protocol).status, 400);

    WsOptions foreign;
    foreign.origin = "http://evil.example";
    EXPECT_EQ(WsClient::handshake(server.port(), foreign).status, 403);

    WsOptions same_host;
    same_host.origin = "http://127.0.0.1:" + std::to_string(server.port());
    EXPECT_EQ(WsClient::handshake(server.port(), same_host).status, 101);

    WsOptions wrong_path;
    wrong_path.path = "/nope";
    EXPECT_EQ(WsClient::handshake(server.port(), wrong_path).status, 404);

    WsOptions old_version;
    old_version.version = "8";
    auto result = WsClient::handshake(server.port(), old_version);
    EXPECT_EQ(result.status, 426);
    EXPECT_NE(result.head.find("Sec-WebSocket-Version: 13"), std::string::npos);
}

TEST(Handshake, AllowedOriginsListAndWildcard) {
    TestServer server([](config::Config& config) { config.websocket.allowed_origins = {"https://chat.example.org"}; });
    WsOptions listed;
    listed.origin = "https://chat.example.org";
    EXPECT_EQ(WsClient::handshake(server.port(), listed).status, 101);
    WsOptions same_host;  // the list replaces the same-host default
    same_host.origin = "http://127.0.0.1:" + std::to_string(server.port());
    EXPECT_EQ(WsClient::handshake(server.port(), same_host).status, 403);
}

TEST(Handshake, FramesSentWithTheRequestAreNotLost) {
    TestServer server;
    WsOptions options;
    // The join frame travels in the same write as the upgrade request, so
    // Poco's HTTP parser has already buffered it when the socket is handed over.
    // A whole frame and the first bytes of the next one arrive with the request.
    const std::string message = ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"message","text":"split"})");
    options.early_bytes =
        ws::encodeClientFrame(ws::Opcode::Text, R"({"type":"join","nick":"early"})") + message.substr(0, 5);
    auto client = WsClient::connect(server.port(), options);
    EXPECT_EQ(str(client->waitFor("welcome"), "nick"), "early");
    client->sendBytes(message.substr(5));
    EXPECT_EQ(str(client->waitFor("message"), "text"), "split");
}

TEST(Framing, OversizeMessageClosesWith1009) {
    TestServer server([](config::Config& config) { config.websocket.max_message_bytes = 1024; });
    auto client = inRoom(server);
    client->sendText(std::string(2000, 'a'));
    EXPECT_EQ(client->waitClosed(), 1009);
}

TEST(Framing, InvalidUtf8TextClosesWith1007) {
    TestServer server;
    auto client = inRoom(server);
    client->sendText("\xC0\xAF");
    EXPECT_EQ(client->waitClosed(), 1007);
}

TEST(Framing, ProtocolViolationsCloseWith1002) {
    TestServer server;
    struct Case {
        const char* name;
        std::uint8_t opcode;
        std::string payload;
        ws::ClientFrameOptions options;
    };
    ws::ClientFrameOptions unmasked;
    unmasked.mask = false;
    ws::ClientFrameOptions rsv;
    rsv.rsv = 4;
    ws::ClientFrameOptions fragmented_control;
    fragmented_control.fin = false;
    const Case cases[] = {
        {"unmasked", 1, "{}", unmasked},
        {"reserved bits", 1, "{}", rsv},
        {"bad opcode", 3, "", {}},
        {"fragmented ping", 9, "", fragmented_control},
        {"oversized ping", 9, std::string(126, 'p'), {}},
        {"continuation first", 0, "x", {}},
    };
    for (const Case& c : cases) {
        auto client = inRoom(server);
        client->sendFrame(c.opcode, c.payload, c.options);
        EXPECT_EQ(client->waitClosed(), 1002) << c.name;
    }
}

TEST(Framing, FragmentedMessageIsReassembled) {
    TestServer server;
    auto client = inRoom(server);
    ws::ClientFrameOptions first;
    first.fin = false;
    client->sendFrame(1, R"({"type":"message",)", first);
    client->sendFrame(9, "ping in between");  // control frames may interleave
    client->sendFrame(0, R"("text":"caf\u00e9 )", first);
    client->sendFrame(0, "\xC3", first);  // a UTF-8 sequence split across fragments
    client->sendFrame(0, "\xA9\"}");
    // The pong and the message may come in either order (the message goes
    // through the hub shard, the pong only through the IO loop).
    std::optional<std::string> pong;
    std::optional<std::string> text;
    while (!pong || !text) {
        auto frame = client->receive();
        ASSERT_TRUE(frame) << "pong " << pong.has_value() << ", message " << text.has_value();
        if (frame->opcode == ws::Opcode::Pong) pong = frame->payload;
        std::string error;
        if (frame->opcode == ws::Opcode::Text && frame->payload.find(R"("type":"message")") != std::string::npos)
            text = str(*json::parse(frame->payload, error), "text");
    }
    EXPECT_EQ(*pong, "ping in between");
    EXPECT_EQ(*text, "caf\xC3\xA9 \xC3\xA9");
}

// RFC 6455 section 5.5.3: pings that arrive before their pong could be sent
// get one pong, for the latest; a client flooding pings without reading
// cannot pile pongs up in the server.
TEST(Framing, PingFloodIsAnsweredWithThePongOfTheLatestPing) {
    TestServer server;
    auto client = inRoom(server);
    constexpr int kPings = 10'000;
    std::string pings;
    for (int i = 1; i <= kPings; ++i) pings += ws::encodeClientFrame(ws::Opcode::Ping, std::to_string(i));
    client->sendBytes(pings);
    client->sendText(R"({"type":"message","text":"after the pings"})");
    // The acknowledgement goes through the hub shard, the pongs only through
    // the IO loop: they may arrive in either order.
    int pongs = 0;
    std::string last;
    bool acknowledged = false;
    while (!acknowledged || last != std::to_string(kPings)) {
        auto frame = client->receive();
        ASSERT_TRUE(frame) << "after " << pongs << " pongs (the last for ping " << last << "), acknowledged "
                           << acknowledged;
        ASSERT_NE(frame->opcode, ws::Opcode::Close);
        if (frame->opcode == ws::Opcode::Pong) {
            ++pongs;
            last = frame->payload;
        } else if (frame->payload.find("after the pings") != std::string::npos) {
            acknowledged = true;
        }
    }
    EXPECT_LT(pongs, 100) << "one pong per ping";
}

TEST(Framing, CloseHandshakeEchoesTheCode) {
    TestServer server;
    auto client = inRoom(server);
    client->sendClose(4000);
    EXPECT_EQ(client->waitClosed(), 4000);
}

TEST(Keepalive, IdleClientIsPingedAndClosedWhenItDoesNotAnswer) {
    TestServer server([](config::Config& config) {
        config.websocket.ping_interval = std::chrono::milliseconds(300);
        config.websocket.ping_timeout = std::chrono::milliseconds(300);
    });
    // A raw client: the server sends it nothing but chat (no welcome, no presence).
    WsOptions raw;
    raw.protocol = std::nullopt;
    auto client = WsClient::connect(server.port(), raw);
    // Read raw frames without answering: the first must be a ping.
    std::string bytes;
    char chunk[256];
    pollfd pfd{client->fd(), POLLIN, 0};
    ASSERT_GT(::poll(&pfd, 1, 5000), 0);
    const ssize_t n = ::read(client->fd(), chunk, sizeof chunk);
    ASSERT_GT(n, 0);
    EXPECT_EQ(static_cast<unsigned char>(chunk[0]), 0x89) << "expected a ping frame";
    // No pong: the server drops the connection.
    for (;;) {
        ASSERT_GT(::poll(&pfd, 1, 5000), 0) << "server never closed";
        if (::read(client->fd(), chunk, sizeof chunk) <= 0) break;
    }
}

TEST(Keepalive, AnsweringPingsKeepsTheConnection) {
    TestServer server([](config::Config& config) {
        config.websocket.ping_interval = std::chrono::milliseconds(200);
        config.websocket.ping_timeout = std::chrono::milliseconds(200);
    });
    auto client = inRoom(server);
    // receive() answers pings; after several intervals the connection still works.
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
    while (std::chrono::steady_clock::now() < until) {
        auto frame = client->receive(std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now() + std::chrono::milliseconds(1)));
        if (!frame) break;
        ASSERT_NE(frame->opcode, ws::Opcode::Close);
    }
    client->sendText(R"({"type":"message","text":"alive"})");
    EXPECT_EQ(str(client->waitFor("message"), "text"), "alive");
}

// The pong deadline starts when the ping leaves the send queue, not when it
// is queued: a client reading a long backlog slowly (and answering each ping
// as soon as it reads it) is not closed with "ping timeout".
TEST(Keepalive, ClientDrainingALongBacklogIsNotTimedOut) {
    TestServer server([](config::Config& config) {
        config.websocket.ping_interval = std::chrono::milliseconds(200);
        config.websocket.ping_timeout = std::chrono::milliseconds(600);
        config.limits.send_queue_bytes = 16 * 1024 * 1024;  // the backlog stays queued, not judged
    });
    WsOptions small_buffer;
    small_buffer.receive_buffer = 4096;  // the kernel holds little: the backlog waits in chatd's queue
    auto slow = WsClient::connect(server.port(), small_buffer);
    slow->sendText(R"({"type":"join","nick":"slow"})");  // the room inRoom() joins
    slow->waitFor("welcome");
    auto sender = inRoom(server);

    constexpr std::uint64_t kMessages = 2000;  // ~2 MB behind every ping sent to `slow`
    const std::string text(1000, 'x');
    for (std::uint64_t i = 0; i < kMessages; ++i) sender->sendText(R"({"type":"message","text":")" + text + R"("})");
    std::uint64_t last = 0;
    while (last < kMessages) last = uint(sender->waitFor("message", 20s), "seq");

    // Drain slowly: about 4 s in all, far beyond ping_interval + ping_timeout.
    std::uint64_t received = 0;
    while (received < kMessages) {
        auto frame = slow->receive(10s);  // answers pings as it reads them
        ASSERT_TRUE(frame) << "connection lost after " << received << " of " << kMessages << " messages";
        ASSERT_NE(frame->opcode, ws::Opcode::Close) << "closed after " << received << " messages";
        if (frame->payload.find(R"("type":"message")") == std::string::npos) continue;
        if (++received % 20 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(40));  // pacing, not readiness
    }
    slow->sendText(R"({"type":"message","text":"still here"})");
    EXPECT_EQ(str(slow->waitFor("message"), "text"), "still here");
}

}  // namespace
}  // namespace chatd::testing
