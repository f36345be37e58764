// The room core with the plugin host's 0.2 hooks (tests/plugins/admission.cpp
// and probe.cpp): a join a plugin refuses is answered `forbidden` and changes
// nothing; a post passes only the plugins after the one that posted it.
// (Built when the admission test plugin is there: tests/unit/chat/CMakeLists.txt.)
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"
#include "test_pipeline.h"

namespace chatd::testing {
namespace {

TEST(HubAdmission, ARefusedJoinIsForbiddenAndTheSessionStaysWhereItWas) {
    ChatCore core;
    core.hub().setPipeline(
        testPipeline({testPlugin("gate", "admission.so", "{refuse_room: vault, reason: members only}")}));
    auto alice = core.connect();
    const std::uint64_t id = std::stoull(str(enter(*alice, "r", "alice"), "session"));
    alice->sendText(joinRequest("vault", "alice", {}, "j1"));
    EXPECT_EQ(str(expectError(*alice, "forbidden", "j1"), "reason"), "members only");
    alice->sendText(messageRequest("still in r"));
    EXPECT_EQ(str(nextOfType(*alice, "message"), "room"), "r");
    EXPECT_EQ(core.hub().directory().find(id)->room, "r");
    EXPECT_EQ(core.hub().roomCount(), 1u);  // the refused room was never opened
    // A join the plugin lets through works as ever.
    EXPECT_EQ(str(joinAs(*alice, "open", "alice"), "room"), "open");
}

TEST(HubPluginsPost, OnlyThePluginsAfterThePosterJudgeItsPost) {
    ChatCore core;
    core.hub().setPipeline(testPipeline({testPlugin("filter", "probe.so", "{drop_if: x}"),
                                         testPlugin("announce", "probe.so", "{drop_if: x}"),
                                         testPlugin("deco", "probe.so", "{append: '!'}")}));
    auto alice = core.connect();
    enter(*alice, "r", "alice");
    core.hub().submit(chat::PostCommand{.room = "r",
                                        .from = "announce",
                                        .text = "x marks the spot",
                                        .origin = chat::PostOrigin::Plugin,
                                        .plugin = "announce"});
    EXPECT_EQ(str(nextOfType(*alice, "message"), "text"), "x marks the spot!");
}

}  // namespace
}  // namespace chatd::testing
