// Unit tests of the hello plugin, loading the built hello.so into the fake
// host exactly as the daemon would (dlopen, ABI negotiation, hooks).
#include <gtest/gtest.h>

#include <chatd/testing/fake_host.hpp>

using chatd::sdk::testing::FakeHost;

namespace {

FakeHost loadHello() { return FakeHost::load(HELLO_PLUGIN_PATH, "hello"); }

TEST(HelloPlugin, RepliesToSenderOnlyAndDropsTheCommand) {
    FakeHost host = loadHello();
    host.init();
    const auto out = host.send("/hello", {.session_id = 7, .nick = "bob"});
    EXPECT_TRUE(out.dropped());
    ASSERT_EQ(host.replies().size(), 1u);
    EXPECT_EQ(host.replies()[0].session_id, 7u);
    EXPECT_EQ(host.replies()[0].text, "hello, bob!");
}

TEST(HelloPlugin, OtherMessagesPassUntouched) {
    FakeHost host = loadHello();
    host.init();
    for (const char* text : {"hello", "/hello ", "/HELLO", "say /hello", ""}) {
        const auto out = host.send(text);
        EXPECT_TRUE(out.passed()) << text;
        EXPECT_FALSE(out.replaced) << text;
    }
    EXPECT_TRUE(host.replies().empty());
}

TEST(HelloPlugin, GreetingIsConfigurable) {
    FakeHost host = loadHello();
    host.init("greeting: hi there");
    host.send("/hello", {.nick = "carol"});
    ASSERT_EQ(host.replies().size(), 1u);
    EXPECT_EQ(host.replies()[0].text, "hi there, carol!");
}

TEST(HelloPlugin, UnknownKeyRefusesTheConfig) {
    FakeHost host = loadHello();
    const auto error = host.tryInit("greting: hi");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(*error, "unknown key 'greting' (known keys: greeting)");
}

TEST(HelloPlugin, ReloadTakesTheNewGreeting) {
    FakeHost host = loadHello();
    host.init();
    host.reload("greeting: hey");
    host.send("/hello", {.nick = "dave"});
    ASSERT_EQ(host.replies().size(), 1u);
    EXPECT_EQ(host.replies()[0].text, "hey, dave!");
}

}  // namespace
