// The records instances exchange: every field survives a round trip, and
// every malformed record is refused instead of half-read.
#include <gtest/gtest.h>

#include "bus/record.h"

namespace chatd::bus {
namespace {

std::string fields(std::initializer_list<std::string_view> values) {
    std::string out;
    for (std::string_view value : values) appendField(out, value);
    return out;
}

TEST(Record, FieldsAreLengthPrefixed) {
    EXPECT_EQ(fields({"M", "", "a:b"}), "1:M0:3:a:b");
    const auto split = splitFields("1:M0:3:a:b");
    ASSERT_TRUE(split);
    EXPECT_EQ(*split, (std::vector<std::string_view>{"M", "", "a:b"}));
}

TEST(Record, MalformedFieldListsAreRefused) {
    for (std::string_view bad : {"1", "1:", "x:a", ":a", "2:a", "1:ab", "-1:a", "99999999999:a", "1:a3"})
        EXPECT_FALSE(splitFields(bad)) << bad;
    EXPECT_TRUE(splitFields(""));  // no fields at all
}

TEST(Record, MessageRoundTripKeepsEveryField) {
    const MessageRecord message{"ab12", 42, 1'700'000'000'123, "alice", "hi\n1:2:3 \xc3\xa9", "id:7", ""};
    const auto decoded = decodeMessageRecord(encodeMessageRecord(message));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->epoch, "ab12");
    EXPECT_EQ(decoded->seq, 42u);
    EXPECT_EQ(decoded->ts_ms, 1'700'000'000'123);
    EXPECT_EQ(decoded->from, "alice");
    EXPECT_EQ(decoded->text, "hi\n1:2:3 \xc3\xa9");
    EXPECT_EQ(decoded->id, "id:7");
}

TEST(Record, MessageWithoutIdAndWithAnEmptyIdDiffer) {
    MessageRecord message{"e", 1, 5, "bob", "x", std::nullopt, ""};
    EXPECT_FALSE(decodeMessageRecord(encodeMessageRecord(message))->id);
    message.id = "";
    EXPECT_EQ(decodeMessageRecord(encodeMessageRecord(message))->id, "");
}

// 1.1: a post's record appends its origin; a member's record is the 0.1 one.
TEST(Record, APostKeepsItsOriginAndAMembersRecordIsUnchanged) {
    const MessageRecord post{"e", 3, 9, "announce", "hello", std::nullopt, "plugin"};
    const std::string encoded = encodeMessageRecord(post);
    EXPECT_EQ(splitFields(encoded)->size(), 8u);
    const auto decoded = decodeMessageRecord(encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->origin, "plugin");
    EXPECT_EQ(decoded->from, "announce");
    EXPECT_EQ(decoded->text, "hello");

    const MessageRecord member{"e", 4, 9, "bob", "hi", std::nullopt, ""};
    EXPECT_EQ(splitFields(encodeMessageRecord(member))->size(), 7u);
    EXPECT_EQ(decodeMessageRecord(fields({"M", "e", "1", "5", "bob", "", "t"}))->origin, "");
    EXPECT_EQ(decodeMessageRecord(fields({"M", "e", "1", "5", "bob", "", "t", "admin"}))->origin, "admin");
    EXPECT_EQ(fields({"M", "e", "3", "9"}) + encodeMessageBody("bot", "yo", std::nullopt, "plugin"),
              fields({"M", "e", "3", "9", "bot", "", "yo", "plugin"}));
}

TEST(Record, AKickedLeaveCarriesItsReason) {
    const auto kicked = decodePresenceRecord(fields({"P", "leave", "1", "bob", "", "A", "", "kicked"}), "B");
    ASSERT_TRUE(kicked);
    EXPECT_EQ(kicked->event, "leave");
    EXPECT_EQ(kicked->reason, "kicked");
    EXPECT_EQ(decodePresenceRecord(fields({"P", "leave", "1", "bob", "", "A", ""}), "B")->reason, "");
    EXPECT_FALSE(decodePresenceRecord(fields({"P", "leave", "1", "bob", "", "A", "", "kicked", "x"}), "B"));
}

TEST(Record, AKickByNickRoundTrips) {
    const std::string record = encodeKickRecord(KickRequest{.room = "r", .nick = "bob", .reason = "spam", .by = "admin"});
    EXPECT_EQ(recordKind(record), 'K');
    const auto kick = decodeKickRecord(record);
    ASSERT_TRUE(kick);
    EXPECT_EQ(kick->nick, "bob");
    EXPECT_EQ(kick->reason, "spam");
    EXPECT_EQ(kick->by, "admin");
    EXPECT_FALSE(decodeKickRecord(fields({"K", "", "spam", "admin"})));  // no nick
    EXPECT_FALSE(decodeKickRecord(fields({"K", "bob", "spam"})));
}

TEST(Record, BrokenMessagesAreRefused) {
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "e", "x", "5", "bob", "", "t"})));  // seq not a number
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "e", "1", "5", "bob", "", "t", "plugin", "extra"})));
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "e", "1", "5", "bob", ""})));         // no text
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "", "1", "5", "bob", "", "t"})));     // no epoch
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "e", "1", "5", "bob", "id", "t"})));  // id without '='
    EXPECT_FALSE(decodeMessageRecord(fields({"P", "e", "1", "5", "bob", "", "t"})));    // another kind
    EXPECT_FALSE(decodeMessageRecord(fields({"M", "e", "-1", "5", "bob", "", "t"})));
}

TEST(Record, MessageBodyIsTheTailOfAMessageRecord) {
    const std::string record = fields({"M", "e", "3", "9"}) + encodeMessageBody("ann", "yo", std::string("q"));
    const auto decoded = decodeMessageRecord(record);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->from, "ann");
    EXPECT_EQ(decoded->text, "yo");
    EXPECT_EQ(decoded->id, "q");
}

TEST(Record, Presence) {
    const auto join = decodePresenceRecord(fields({"P", "join", "3", "bob", "", "inst1", ""}), "me");
    ASSERT_TRUE(join);
    EXPECT_EQ(join->event, "join");
    EXPECT_EQ(join->nick, "bob");
    EXPECT_EQ(join->count, 3u);
    EXPECT_FALSE(join->own_resync);
    const auto rename = decodePresenceRecord(fields({"P", "nick", "2", "bob2", "bob", "me", "r"}), "me");
    ASSERT_TRUE(rename);
    EXPECT_EQ(rename->old_nick, "bob");
    EXPECT_TRUE(rename->own_resync);
    // A resync of another instance is news here.
    EXPECT_FALSE(decodePresenceRecord(fields({"P", "join", "2", "x", "", "other", "r"}), "me")->own_resync);
    EXPECT_FALSE(decodePresenceRecord(fields({"P", "wave", "2", "x", "", "i", ""}), "me"));
    EXPECT_FALSE(decodePresenceRecord(fields({"P", "join", "two", "x", "", "i", ""}), "me"));
    EXPECT_FALSE(decodePresenceRecord(fields({"P", "join", "2", "", "", "i", ""}), "me"));
}

TEST(Record, SyncPointWithUsersAndHistory) {
    const std::string m1 = encodeMessageRecord({"e", 4, 1, "a", "one", std::nullopt, ""});
    const std::string m2 = encodeMessageRecord({"e", 5, 2, "b", "two", std::string("x"), ""});
    const auto sync = decodeSyncRecord(fields({"S", "lobby", "17", "e", "5", "1", "a b c", m1, m2}));
    ASSERT_TRUE(sync);
    EXPECT_EQ(sync->room, "lobby");
    EXPECT_EQ(sync->point.token, 17u);
    EXPECT_EQ(sync->point.position, (Position{"e", 5}));
    EXPECT_TRUE(sync->point.recovered);
    EXPECT_EQ(sync->point.users, (std::vector<std::string>{"a", "b", "c"}));
    ASSERT_EQ(sync->point.messages.size(), 2u);
    EXPECT_EQ(sync->point.messages[1].text, "two");
    EXPECT_EQ(sync->point.messages[1].id, "x");
}

TEST(Record, SyncPointWithoutUsersOrHistory) {
    const auto sync = decodeSyncRecord(fields({"S", "r", "1", "e", "0", "0", ""}));
    ASSERT_TRUE(sync);
    EXPECT_TRUE(sync->point.users.empty());
    EXPECT_TRUE(sync->point.messages.empty());
    EXPECT_FALSE(sync->point.recovered);
}

TEST(Record, BrokenSyncPointsAreRefused) {
    EXPECT_FALSE(decodeSyncRecord(fields({"S", "r", "1", "e", "0", "2", ""})));          // recovered not 0/1
    EXPECT_FALSE(decodeSyncRecord(fields({"S", "r", "t", "e", "0", "0", ""})));          // token
    EXPECT_FALSE(decodeSyncRecord(fields({"S", "", "1", "e", "0", "0", ""})));           // room
    EXPECT_FALSE(decodeSyncRecord(fields({"S", "r", "1", "e", "0", "0"})));              // users missing
    EXPECT_FALSE(decodeSyncRecord(fields({"S", "r", "1", "e", "0", "0", "", "junk"})));  // a bad message
}

TEST(Record, ADisconnectAndAPluginBroadcastRoundTrip) {
    const auto disconnect = decodeDisconnectRecord(encodeDisconnectRecord("bob", "go away"));
    ASSERT_TRUE(disconnect);
    EXPECT_EQ(disconnect->nick, "bob");
    EXPECT_EQ(disconnect->reason, "go away");
    EXPECT_EQ(recordKind(encodeDisconnectRecord("bob", "")), 'D');
    EXPECT_FALSE(decodeDisconnectRecord(fields({"D", "", "r"})));  // no nick
    EXPECT_FALSE(decodeDisconnectRecord(fields({"D", "bob"})));    // no reason

    const std::string payload("ban\0\n\xff", 6);  // opaque bytes
    const auto broadcast = decodePluginRecord(encodePluginRecord("A", PluginBroadcast{"moderation", payload}));
    ASSERT_TRUE(broadcast);
    EXPECT_EQ(broadcast->instance, "A");
    EXPECT_EQ(broadcast->broadcast.plugin, "moderation");
    EXPECT_EQ(broadcast->broadcast.payload, payload);
    EXPECT_EQ(recordKind(encodePluginRecord("A", {"p", ""})), 'X');
    EXPECT_FALSE(decodePluginRecord(fields({"X", "A", "", "x"})));  // no plugin
    EXPECT_FALSE(decodePluginRecord(fields({"X", "", "p", "x"})));  // no instance
    EXPECT_FALSE(decodePluginRecord(fields({"X", "A", "p"})));      // no payload
}

TEST(Record, Kind) {
    EXPECT_EQ(recordKind(fields({"H"})), 'H');
    EXPECT_EQ(recordKind(fields({"M", "x"})), 'M');
    EXPECT_EQ(recordKind("2:MM"), '\0');
    EXPECT_EQ(recordKind(""), '\0');
}

}  // namespace
}  // namespace chatd::bus
