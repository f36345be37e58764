// ControlServer on a real Unix socket with a test dispatcher: pipelined
// requests, the idle timeout (a trickled partial line does not keep a client),
// the client limit, and the socket file's life.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "control/control_server.h"
#include "control_connection.h"
#include "temp_dir.h"

namespace chatd::control {
namespace {

using namespace std::chrono_literals;
using testing::ControlConnection;

class ControlServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = dir_.file("ctl.sock");
        dispatcher_.add("ping", [](const json::Value&, const Caller&) { return Outcome::success("\"pong\""); });
    }

    std::unique_ptr<ControlServer> start(std::chrono::milliseconds idle = 30s) {
        auto server = std::make_unique<ControlServer>(
            ControlSettings{.socket_path = path_, .group = "no-such-group-here", .idle_timeout = idle}, dispatcher_);
        server->start();
        return server;
    }

    testing::ScratchDir dir_{"chatd-control"};
    std::string path_;
    Dispatcher dispatcher_;
};

TEST_F(ControlServerTest, PipelinedRequestsAreAnsweredInOrder) {
    auto server = start();
    struct stat info {};
    ASSERT_EQ(::stat(path_.c_str(), &info), 0);
    EXPECT_TRUE(S_ISSOCK(info.st_mode));
    EXPECT_EQ(info.st_mode & 0777, 0660u);
    ControlConnection client(path_);
    client.send("{\"cmd\":\"ping\"}\n{\"cmd\":\"nope\"}\r\n{\"cmd\":\"ping\"}\n");
    EXPECT_EQ(client.readLine(), "{\"ok\":true,\"result\":\"pong\"}");
    EXPECT_NE(client.readLine()->find("unknown_command"), std::string::npos);
    EXPECT_EQ(client.readLine(), "{\"ok\":true,\"result\":\"pong\"}");
}

TEST_F(ControlServerTest, AnIdleClientIsClosedEvenWhileTricklingAPartialLine) {
    auto server = start(300ms);
    ControlConnection silent(path_);
    EXPECT_TRUE(silent.waitClosed(10s));
    ControlConnection trickler(path_);
    const auto started = std::chrono::steady_clock::now();
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() - started < 10s) {
        try {
            trickler.send("{");
        } catch (const std::runtime_error&) {
            break;  // closed under us
        }
        closed = trickler.waitClosed(100ms);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    ControlConnection fresh(path_);  // the server goes on
    EXPECT_EQ(fresh.ask("{\"cmd\":\"ping\"}"), "{\"ok\":true,\"result\":\"pong\"}");
}

TEST_F(ControlServerTest, ClientsBeyondTheLimitAreRefused) {
    auto server = start();
    std::vector<std::unique_ptr<ControlConnection>> clients;
    for (std::size_t i = 0; i < kMaxClients; ++i) {
        clients.push_back(std::make_unique<ControlConnection>(path_));
        EXPECT_EQ(clients.back()->ask("{\"cmd\":\"ping\"}"), "{\"ok\":true,\"result\":\"pong\"}");
    }
    ControlConnection extra(path_);
    const auto answer = extra.readLine();
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->find("\"code\":\"refused\""), std::string::npos) << *answer;
    clients.pop_back();  // a place comes free
    bool served = false;
    for (int attempt = 0; attempt < 50 && !served; ++attempt) {
        ControlConnection retry(path_);
        served = retry.ask("{\"cmd\":\"ping\"}").find("pong") != std::string::npos;
        if (!served) std::this_thread::sleep_for(20ms);  // the close is seen on the server's next turn
    }
    EXPECT_TRUE(served);
}

TEST_F(ControlServerTest, StopRemovesItsOwnSocketFileOnly) {
    auto server = start();
    server.reset();
    EXPECT_FALSE(std::filesystem::exists(path_));

    server = start();
    std::filesystem::remove(path_);
    testing::makeStaleSocket(path_);  // someone else's file now
    server.reset();
    EXPECT_TRUE(std::filesystem::exists(path_));
}

}  // namespace
}  // namespace chatd::control
