// The shipped plugins (build/plugins/*.so) loaded together through the real
// loader, as the default configuration enables them: logging + filter +
// ratelimit, plus the hello example; moderation's codes (muted, banned).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "test_support.h"

namespace chatd::plugin_host {
namespace {

using namespace testing;

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

TEST(ShippedPlugins, LoggingFilterAndRateLimitTogether) {
    const std::string transcript = ::testing::TempDir() + "shipped_" + std::to_string(::getpid()) + ".jsonl";
    std::remove(transcript.c_str());
    {
        auto pipeline = mustBuild({entry("logging", "{file: '" + transcript + "'}"),
                                   entry("filter", "{words: [darn], patterns: ['sp[a4]+m+'], action: mask}"),
                                   entry("ratelimit", "{rate: 0.001, burst: 2}")},
                                  nullptr, nullptr, kShippedPluginDir);
        auto first = message("darn it, SPAAM");
        EXPECT_EQ(pipeline->onMessage(first).kind, VerdictKind::Continue);
        EXPECT_EQ(first.text, "*** it, ***");

        auto second = message("fine");
        EXPECT_EQ(pipeline->onMessage(second).kind, VerdictKind::Continue);

        auto third = message("too fast");
        const Verdict v = pipeline->onMessage(third);
        EXPECT_EQ(v.kind, VerdictKind::Reject);
        EXPECT_EQ(v.code, "rate_limited");
        EXPECT_EQ(v.plugin, "ratelimit");

        auto other = message("another session", 2);
        EXPECT_EQ(pipeline->onMessage(other).kind, VerdictKind::Continue);

        pipeline->onLeave({1, "s1", "lobby", "alice"});  // the bucket is the session's, not the room's
        auto back = message("back again");
        EXPECT_EQ(pipeline->onMessage(back).kind, VerdictKind::Reject);
    }  // shutdown flushes the transcript
    const auto lines = readLines(transcript);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_NE(lines[0].find(R"("text":"*** it, ***","verdict":"continue"})"), std::string::npos) << lines[0];
    EXPECT_NE(lines[2].find(R"("text":"too fast","verdict":"reject","by":"ratelimit","code":"rate_limited")"),
              std::string::npos)
        << lines[2];
    std::remove(transcript.c_str());
}

TEST(ShippedPlugins, FilterRejectReachesTheSenderAsReason) {
    auto pipeline =
        mustBuild({entry("filter", "{words: [darn], action: reject}")}, nullptr, nullptr, kShippedPluginDir);
    auto msg = message("Darn!");
    const Verdict v = pipeline->onMessage(msg);
    EXPECT_EQ(v.kind, VerdictKind::Reject);
    EXPECT_EQ(v.code, "rejected");
    EXPECT_EQ(v.reason, "message blocked by filter");
    EXPECT_EQ(v.plugin, "filter");
}

TEST(ShippedPlugins, HelloAnswersOnlyTheSender) {
    Replies replies;
    auto pipeline = mustBuild({entry("hello")}, &replies, nullptr, kShippedPluginDir);
    auto msg = MessageContext{5, "s5", "lobby", "zoe", "/hello", ""};
    EXPECT_EQ(pipeline->onMessage(msg).kind, VerdictKind::Drop);
    ASSERT_EQ(replies.all().size(), 1u);
    EXPECT_EQ(replies.all()[0].session_id, 5u);
    EXPECT_EQ(replies.all()[0].plugin, "hello");
    EXPECT_EQ(replies.all()[0].text, "hello, zoe!");
}

TEST(ShippedPlugins, ConfigErrorsSurfaceAsInitFailures) {
    EXPECT_EQ(buildError({entry("ratelimit", "{burst: 0}")}, kShippedPluginDir),
              "plugin 'ratelimit' (" + kShippedPluginDir +
                  "/ratelimit.so): init failed: key 'burst': must be an integer from 1 to 1000000");
    EXPECT_EQ(buildError({entry("logging")}, kShippedPluginDir),
              "plugin 'logging' (" + kShippedPluginDir + "/logging.so): init failed: key 'file' is required");
}

// The moderation plugin's refusals reach the pipeline with the protocol's
// codes: `muted` for a message, `banned` for a join (chatd_admission.code).
TEST(ShippedPlugins, ModerationRefusesWithMutedAndBanned) {
    auto pipeline = mustBuild({entry("moderation", "~")}, nullptr, nullptr, kShippedPluginDir);
    ASSERT_TRUE(pipeline->control("moderation", "mute", R"(["alice","--reason","shh"])").ok);
    auto said = message("hello");
    const Verdict v = pipeline->onMessage(said);
    EXPECT_EQ(v.kind, VerdictKind::Reject);
    EXPECT_EQ(v.code, "muted");
    EXPECT_NE(v.reason.find("shh"), std::string::npos) << v.reason;
    ASSERT_TRUE(pipeline->control("moderation", "ban", R"(["bob","--room","lobby"])").ok);
    const Admission refused = pipeline->onJoinRequest(JoinRequestEvent{7, "s7", "lobby", "Bob", "127.0.0.1", ""});
    EXPECT_FALSE(refused.admitted);
    EXPECT_EQ(refused.code, "banned");
    EXPECT_EQ(refused.plugin, "moderation");
    EXPECT_TRUE(pipeline->onJoinRequest(JoinRequestEvent{7, "s7", "dev", "bob", "127.0.0.1", ""}).admitted);
}

}  // namespace
}  // namespace chatd::plugin_host
