// LoopRooms: a broadcast reaches every member on every IO loop exactly once,
// in its mode's frame, also when members leave the list (swap-remove) or are
// closed by the delivery itself (slow consumers).
#include <gtest/gtest.h>

#include "chat_core.h"
#include "chat_requests.h"

namespace chatd::testing {
namespace {

TEST(LoopRooms, ABroadcastReachesEveryMemberOnEveryLoopOnceInItsMode) {
    ChatCore core;
    std::vector<std::unique_ptr<WsClient>> json_members;
    for (unsigned loop : {0u, 1u, 0u, 1u}) {
        json_members.push_back(core.connect(chat::Mode::Json, loop));
        joinAs(*json_members.back(), "lobby", "j" + std::to_string(json_members.size()));
    }
    std::vector<std::unique_ptr<WsClient>> raw_members;
    for (unsigned loop : {0u, 1u}) {
        raw_members.push_back(core.connect(chat::Mode::Raw, loop));
        // Each raw join is announced to the first JSON member once it is in.
        while (str(nextOfType(*json_members[0], "presence"), "nick").starts_with("j")) {
        }
    }
    for (const std::string text : {"one", "two"}) json_members[0]->sendText(messageRequest(text));
    for (auto& member : json_members) {
        std::vector<std::uint64_t> seqs;
        while (seqs.size() < 2) {
            json::Value frame = member->receiveJson();
            if (str(frame, "type") == "message") seqs.push_back(uint(frame, "seq"));
        }
        EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2})) << "a copy missing or doubled";
    }
    for (auto& member : raw_members) {
        for (const std::string text : {"one", "two"}) {
            auto frame = member->receive();
            ASSERT_TRUE(frame);
            EXPECT_EQ(frame->opcode, ws::Opcode::Binary);
            EXPECT_EQ(frame->payload, text);
        }
    }
}

// Four members on one loop; the second leaves, the last takes its slot.
TEST(LoopRooms, AMemberLeavingFromTheMiddleLeavesTheOthersReachedOnce) {
    ChatCore core;
    std::vector<std::unique_ptr<WsClient>> members;
    for (const char* nick : {"a", "b", "c", "d"}) {
        members.push_back(core.connect(chat::Mode::Json, 0));
        joinAs(*members.back(), "r", nick);
    }
    members[1].reset();
    while (str(members[0]->waitFor("presence"), "event") != "leave") {
    }
    members[0]->sendText(messageRequest("after"));
    members[0]->sendText(messageRequest("again"));
    for (std::size_t i : {0u, 2u, 3u}) {
        std::vector<std::string> texts;
        while (texts.size() < 2) {
            json::Value frame = members[i]->receiveJson();
            if (str(frame, "type") == "message") texts.push_back(str(frame, "text"));
        }
        EXPECT_EQ(texts, (std::vector<std::string>{"after", "again"})) << "member " << i;
    }
}

// The send queue holds a message's raw frame but not its JSON one (control
// characters escape to six bytes each, and a frame beyond 4 x send_queue_bytes
// never fits): every JSON member is closed as a slow consumer in the middle of
// the delivery, and each raw member, wherever it sits in the list, still gets
// the message once.
TEST(LoopRooms, MembersClosedByTheDeliveryItselfDoNotMakeItSkipOthers) {
    ChatCore::Options options;
    options.loops = 1;
    options.settings.send_queue_bytes = 1000;
    ChatCore core(std::move(options));
    std::vector<std::unique_ptr<WsClient>> json_members;
    std::vector<std::unique_ptr<WsClient>> raw_members;
    // In the loop's list: json, raw, json, raw, json.
    json_members.push_back(core.connect(chat::Mode::Json));
    enter(*json_members[0], "lobby", "j0");
    for (int i = 1; i <= 2; ++i) {
        raw_members.push_back(core.connect(chat::Mode::Raw));
        nextOfType(*json_members[0], "presence");  // the raw member is in
        json_members.push_back(core.connect(chat::Mode::Json));
        joinAs(*json_members.back(), "lobby", "j" + std::to_string(i));
        nextOfType(*json_members[0], "presence");
    }
    const std::string big(900, '\x01');  // raw frame 904 bytes, JSON frame over 5,400
    raw_members[0]->sendText(big);
    for (auto& member : json_members) EXPECT_EQ(member->waitClosed(), std::optional<std::uint16_t>(1008));
    raw_members[1]->sendText("small");
    for (auto& member : raw_members) {
        auto first = member->receive();
        ASSERT_TRUE(first);
        EXPECT_EQ(first->payload, big);
        auto second = member->receive();
        ASSERT_TRUE(second);
        EXPECT_EQ(second->payload, "small") << "the big message came twice";
    }
}

}  // namespace
}  // namespace chatd::testing
