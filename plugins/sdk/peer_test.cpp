// The SDK's cross-instance pair: Host::broadcast (recorded by the fake host,
// false when rooms are not shared, over the size limit or with an older
// daemon) and Plugin::onPeerMessage (injected by the fake host, or relayed
// from another fake host as from its instance).
#include <chatd/plugin.hpp>
#include <chatd/testing/fake_host.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using chatd::sdk::testing::FakeHost;

namespace {

// Broadcasts its control command's first argument; keeps what peers sent.
class Echo : public chatd::sdk::Plugin {
public:
    std::string onControl(std::string_view command, const std::vector<std::string>& args) override {
        if (command == "can") return host().canBroadcast() ? "true" : "false";
        if (command == "got") return chatd::sdk::json::stringList(got_);
        return host().broadcast(args.at(0)) ? "true" : "false";
    }
    void onPeerMessage(std::string_view from, std::string_view payload) override {
        if (payload == "boom") throw std::runtime_error("cannot read it");
        got_.push_back(std::string(from) + ":" + std::string(payload));
    }

private:
    std::vector<std::string> got_;
};

TEST(SdkPeers, BroadcastIsRecordedAndRefusedWhenNotSharing) {
    FakeHost host = FakeHost::of<Echo>("mod");
    host.init();
    EXPECT_EQ(host.control("can").json, "true");
    EXPECT_EQ(host.control("send", {"ban bob"}).json, "true");
    host.setSharing(false);
    EXPECT_EQ(host.control("send", {"lost"}).json, "false");
    host.setSharing(true);
    EXPECT_EQ(host.control("send", {std::string(CHATD_BROADCAST_MAX_BYTES + 1, 'x')}).json, "false");
    ASSERT_EQ(host.broadcasts().size(), 1u);
    EXPECT_EQ(host.broadcasts()[0].payload, "ban bob");
}

TEST(SdkPeers, PeerMessagesReachTheHookAndFailuresAreReported) {
    FakeHost a = FakeHost::of<Echo>("a");
    FakeHost b = FakeHost::of<Echo>("b");
    a.init();
    b.init();
    EXPECT_EQ(b.peerMessage("hello", "x"), std::nullopt);
    a.control("send", {"one"});
    a.control("send", {"two"});
    EXPECT_EQ(a.relayTo(b), 2u);
    EXPECT_EQ(a.relayTo(b), 0u);  // handed over once
    EXPECT_EQ(b.control("got").json, R"(["x:hello","a:one","a:two"])");
    EXPECT_EQ(b.peerMessage("boom"), "cannot read it");
}

TEST(SdkPeers, AnOlderDaemonHasNoBroadcast) {
    FakeHost host = FakeHost::of<Echo>("mod");
    host.emulateChatd01();
    host.init();
    EXPECT_EQ(host.control("can").json, "false");
    EXPECT_EQ(host.control("send", {"x"}).json, "false");
    EXPECT_TRUE(host.broadcasts().empty());
}

TEST(SdkPeers, OnlyAPluginThatOverridesItHasThePeerHook) {
    EXPECT_NE(chatd::sdk::pluginTable<Echo>()->on_peer_message, nullptr);
    class Quiet : public chatd::sdk::Plugin {};
    EXPECT_EQ(chatd::sdk::pluginTable<Quiet>()->on_peer_message, nullptr);
}

}  // namespace
