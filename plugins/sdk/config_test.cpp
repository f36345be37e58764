// The SDK's config helpers (chatd/config.hpp) as a plugin author calls them.
#include <chatd/config.hpp>
#include <gtest/gtest.h>

#include <functional>

namespace chatd::sdk::config {
namespace {

std::string errorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const std::runtime_error& error) {
        return error.what();
    }
    return "";
}

TEST(SdkConfig, GetReadsScalarsWithFallbacks) {
    const YAML::Node config = YAML::Load("{rate: 5, name: bot, loud: true, ratio: 0.5}");
    EXPECT_EQ(get<int>(config, "rate", 1), 5);
    EXPECT_EQ(get<std::string>(config, "name", ""), "bot");
    EXPECT_TRUE(get<bool>(config, "loud", false));
    EXPECT_DOUBLE_EQ(get<double>(config, "ratio", 0), 0.5);
    EXPECT_EQ(get<int>(config, "absent", 7), 7);
    EXPECT_EQ(get<int>(YAML::Node(), "rate", 3), 3);
    EXPECT_EQ(errorOf([&] { get<int>(YAML::Load("rate: fast"), "rate", 1); }), "key 'rate': expected an integer, got 'fast'");
}

TEST(SdkConfig, GetReadsListsAsVectors) {
    const YAML::Node config = YAML::Load("{words: [darn, heck], one: darn, counts: [1, 2]}");
    EXPECT_EQ(get<std::vector<std::string>>(config, "words", {}), (std::vector<std::string>{"darn", "heck"}));
    EXPECT_EQ(get<std::vector<std::string>>(config, "one", {}), std::vector<std::string>{"darn"});
    EXPECT_EQ(get<std::vector<int>>(config, "counts", {}), (std::vector<int>{1, 2}));
    EXPECT_EQ(get<std::vector<std::string>>(config, "absent", {"x"}), std::vector<std::string>{"x"});
    EXPECT_EQ(strings(config, "words"), (std::vector<std::string>{"darn", "heck"}));
    EXPECT_EQ(errorOf([&] { get<std::vector<int>>(config, "words", {}); }),
              "key 'words' (a list of integers): expected an integer, got 'darn'");
    EXPECT_EQ(errorOf([] { strings(YAML::Load("{words: {a: b}}"), "words"); }),
              "key 'words': expected a list of strings");
}

TEST(SdkConfig, RequireAndCheckKeys) {
    EXPECT_EQ(errorOf([] { require<std::vector<std::string>>(YAML::Load("{}"), "words"); }), "key 'words' is required");
    EXPECT_EQ(require<std::vector<std::string>>(YAML::Load("words: [a]"), "words"), std::vector<std::string>{"a"});
    EXPECT_EQ(errorOf([] { checkKeys(YAML::Load("wrods: 1"), {"words"}); }),
              "unknown key 'wrods' (known keys: words)");
}

TEST(SdkConfig, CheckKeysForAPluginThatTakesNone) {
    // Says so instead of "(known keys: )".
    EXPECT_EQ(errorOf([] { checkKeys(YAML::Load("greeting: hi"), {}); }),
              "unknown key 'greeting' (this plugin takes no keys)");
}

}  // namespace
}  // namespace chatd::sdk::config
