// The SDK's 0.2 hooks (onConnect, onJoinRequest, onTick, onControl) through
// the C table, against the fake host: what reaches the plugin, what comes
// back, a NULL hook for what a class does not override, and exceptions
// contained as CHATD_FAILED with their message.
#include <chatd/plugin.hpp>
#include <chatd/testing/fake_host.hpp>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

using chatd::sdk::Admission;
using chatd::sdk::ConnectEvent;
using chatd::sdk::JoinRequest;
using chatd::sdk::testing::FakeHost;

namespace {

// A plugin of the 0.1 kind: only a message hook.
class OldStyle : public chatd::sdk::Plugin {
public:
    chatd::sdk::Verdict onMessage(chatd::sdk::Message& msg) override {
        (void)msg;
        return chatd::sdk::Verdict::pass();
    }
};

// Uses every new hook and remembers what it saw.
class Gatekeeper : public chatd::sdk::Plugin {
public:
    Admission onConnect(const ConnectEvent& event) override {
        seen = std::string(event.address) + "|" + std::string(event.origin) + "|" + std::string(event.path) + "|" +
               std::string(event.mode) + "|" + std::string(event.claims_json);
        if (event.address == "10.0.0.66") return Admission::refuse("address banned");
        return Admission::admit();
    }
    Admission onJoinRequest(const JoinRequest& request) override {
        seen = std::to_string(request.session_id) + "|" + std::string(request.session) + "|" +
               std::string(request.room) + "|" + std::string(request.nick) + "|" + std::string(request.address) + "|" +
               std::string(request.claims_json);
        if (request.room == "staff") return Admission::refuse("staff only");
        return Admission::admit();
    }
    void onTick() override { ++ticks; }
    std::string onControl(std::string_view command, const std::vector<std::string>& args) override {
        if (command == "ticks") return std::to_string(ticks);
        if (command == "echo") return chatd::sdk::json::stringList(args);
        if (command == "null") return {};
        if (command == "seen") return chatd::sdk::json::quote(seen);
        if (command == "garbage") return "\"\xff\"";
        throw std::runtime_error("unknown command '" + std::string(command) + "'");
    }

    std::string seen;
    int ticks = 0;
};

// Throws in every new hook.
class Thrower : public chatd::sdk::Plugin {
public:
    Admission onConnect(const ConnectEvent&) override { throw std::runtime_error("connect broke"); }
    Admission onJoinRequest(const JoinRequest&) override { throw std::runtime_error("join request broke"); }
    void onTick() override { throw std::runtime_error("tick broke"); }
    std::string onControl(std::string_view, const std::vector<std::string>&) override { throw 42; }
};

// Only some of the new hooks: the others stay NULL.
class TickOnly : public chatd::sdk::Plugin {
public:
    void onTick() override {}
};

TEST(SdkHooks, AnOldStylePluginLoadsWithTheNewHooksNull) {
    const chatd_plugin_api* api = chatd::sdk::pluginTable<OldStyle>();
    EXPECT_EQ(api->struct_size, sizeof(chatd_plugin_api));
    EXPECT_NE(api->on_message, nullptr);
    EXPECT_EQ(api->on_connect, nullptr);
    EXPECT_EQ(api->on_join_request, nullptr);
    EXPECT_EQ(api->on_tick, nullptr);
    EXPECT_EQ(api->on_control, nullptr);

    FakeHost host = FakeHost::of<OldStyle>();
    host.init();
    EXPECT_TRUE(host.connect().admitted);
    EXPECT_TRUE(host.joinRequest().admitted);
    EXPECT_EQ(host.tick(), std::nullopt);
    const auto control = host.control("now");
    EXPECT_TRUE(control.failed);
    EXPECT_EQ(control.error, "plugin has no commands");
    EXPECT_TRUE(host.send("hi").passed());
}

// A plugin built against 0.1: its table ends before on_connect. Whatever
// lies beyond must never be called.
chatd_status neverCalled(void*, chatd_error_buf* error) {
    chatd::sdk::detail::writeError(error, "a hook beyond struct_size was called");
    return CHATD_FAILED;
}

TEST(SdkHooks, APluginBuiltAgainst01HasNoNewHooks) {
    chatd_plugin_api old = *chatd::sdk::pluginTable<OldStyle>();
    old.struct_size = static_cast<std::uint32_t>(offsetof(chatd_plugin_api, on_connect));
    old.on_tick = &neverCalled;
    FakeHost host(&old, nullptr, "old");
    host.init();
    EXPECT_EQ(host.tick(), std::nullopt);
    EXPECT_TRUE(host.connect().admitted);
    EXPECT_EQ(host.control("now").error, "plugin has no commands");
}

TEST(SdkHooks, OnlyTheOverriddenHooksAreInTheTable) {
    const chatd_plugin_api* api = chatd::sdk::pluginTable<TickOnly>();
    EXPECT_NE(api->on_tick, nullptr);
    EXPECT_EQ(api->on_connect, nullptr);
    EXPECT_EQ(api->on_join_request, nullptr);
    EXPECT_EQ(api->on_control, nullptr);
    EXPECT_EQ(api->on_message, nullptr);

    const chatd_plugin_api* all = chatd::sdk::pluginTable<Gatekeeper>();
    EXPECT_NE(all->on_connect, nullptr);
    EXPECT_NE(all->on_join_request, nullptr);
    EXPECT_NE(all->on_tick, nullptr);
    EXPECT_NE(all->on_control, nullptr);
}

TEST(SdkHooks, OnConnectSeesTheRequestAndDecides) {
    FakeHost host = FakeHost::of<Gatekeeper>();
    host.init();
    const auto ok = host.connect({.address = "::1",
                                  .origin = "https://chat.example",
                                  .path = "/ws",
                                  .mode = "raw",
                                  .claims_json = R"({"sub":"bob"})"});
    EXPECT_TRUE(ok.admitted);
    EXPECT_FALSE(ok.refused());
    EXPECT_EQ(host.control("seen").json, R"("::1|https://chat.example|/ws|raw|{\"sub\":\"bob\"}")");

    const auto refused = host.connect({.address = "10.0.0.66"});
    EXPECT_TRUE(refused.refused());
    EXPECT_EQ(refused.reason, "address banned");
    EXPECT_FALSE(refused.failed);
}

TEST(SdkHooks, OnJoinRequestSeesTheRequestAndDecides) {
    FakeHost host = FakeHost::of<Gatekeeper>();
    host.init();
    EXPECT_TRUE(host.joinRequest({.session_id = 9,
                                  .session = "s9",
                                  .room = "lobby",
                                  .nick = "bob",
                                  .address = "::1",
                                  .claims_json = "{}"})
                    .admitted);
    EXPECT_EQ(host.control("seen").json, R"("9|s9|lobby|bob|::1|{}")");

    const auto refused = host.joinRequest({.room = "staff"});
    EXPECT_TRUE(refused.refused());
    EXPECT_EQ(refused.reason, "staff only");
}

TEST(SdkHooks, OnTickRunsThePlugin) {
    FakeHost host = FakeHost::of<Gatekeeper>();
    host.init();
    EXPECT_EQ(host.tick(), std::nullopt);
    EXPECT_EQ(host.tick(), std::nullopt);
    EXPECT_EQ(host.control("ticks").json, "2");
}

TEST(SdkHooks, OnControlGetsTheArgumentsAsStringsAndAnswersJson) {
    FakeHost host = FakeHost::of<Gatekeeper>();
    host.init();
    EXPECT_EQ(host.control("echo", {"a b", "é\"\\", ""}).json, R"(["a b","é\"\\",""])");
    EXPECT_EQ(host.control("echo").json, "[]");
    EXPECT_EQ(host.controlJson("echo", R"([ "\u00e9" , "\ud83d\ude00" ])").json, R"(["é","😀"])");
    EXPECT_EQ(host.control("null").json, "");

    const auto garbage = host.control("garbage");
    EXPECT_TRUE(garbage.failed);
    EXPECT_EQ(garbage.error, "onControl answered with invalid UTF-8");

    const auto unknown = host.control("frobnicate");
    EXPECT_TRUE(unknown.failed);
    EXPECT_EQ(unknown.error, "unknown command 'frobnicate'");
}

TEST(SdkHooks, OnControlRefusesArgumentsThatAreNotAListOfStrings) {
    FakeHost host = FakeHost::of<Gatekeeper>();
    host.init();
    for (const char* bad : {"{}", "[1]", R"(["a",])", R"(["a"] x)", R"(["\ud800"])", "\"a\"", "[\"a\x01\"]"}) {
        const auto out = host.controlJson("echo", bad);
        EXPECT_TRUE(out.failed) << bad;
        EXPECT_NE(out.error.find("not a JSON list of strings"), std::string::npos) << bad << ": " << out.error;
    }
}

TEST(SdkHooks, AThrowingHookIsContainedWithItsMessage) {
    FakeHost host = FakeHost::of<Thrower>();
    host.init();

    const auto connect = host.connect();
    EXPECT_TRUE(connect.failed);
    EXPECT_FALSE(connect.refused());
    EXPECT_EQ(connect.error, "connect broke");

    const auto join = host.joinRequest();
    EXPECT_TRUE(join.failed);
    EXPECT_EQ(join.error, "join request broke");

    EXPECT_EQ(host.tick(), "tick broke");

    const auto control = host.control("now");
    EXPECT_TRUE(control.failed);
    EXPECT_EQ(control.error, "unknown exception (not derived from std::exception)");
}

TEST(SdkHooks, IncompleteInitArgumentsAreRefusedNotRead) {
    const chatd_plugin_api* api = chatd::sdk::pluginTable<Gatekeeper>();
    char text[128];
    chatd_error_buf error{text, sizeof text, 0};
    const chatd_plugin_init_args args{sizeof(chatd_plugin_init_args), nullptr, nullptr, {}, {"~", 1}, {}};
    void* instance = nullptr;
    EXPECT_EQ(api->init(&args, &instance, &error), CHATD_FAILED);  // no host table
    EXPECT_EQ(std::string(text, error.size), "the daemon passed incomplete init arguments");
}

}  // namespace
