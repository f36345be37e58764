// MessageBook: counting per message, merging thread books, completion.
#include "message_book.h"

#include <gtest/gtest.h>

namespace chatd::bench {
namespace {

TEST(MessageBook, CompleteOnlyWhenEveryClientGotIt) {
    MessageBook a(2), b(2);
    const Stamp m0{1000, 0, 0}, m1{2000, 1, 5};
    a.record(m0, 1500);
    a.record(m0, 1700);
    b.record(m0, 4000);  // the last of three clients
    a.record(m1, 2500);
    b.record(m1, 2600);  // only two of three
    a.merge(b);
    const auto done = a.completion(3);
    EXPECT_EQ(done.messages, 2u);
    EXPECT_EQ(done.complete, 1u);
    ASSERT_EQ(done.complete_latency.count(), 1u);
    EXPECT_EQ(done.complete_latency.max(), 3000);  // 4000 - 1000: the last arrival counts
}

TEST(MessageBook, RefusesUnknownSenders) {
    MessageBook book(1);
    EXPECT_FALSE(book.record(Stamp{0, 1, 0}, 1));
    EXPECT_TRUE(book.record(Stamp{0, 0, 100000}, 1));
    EXPECT_EQ(book.completion(1).complete, 1u);
}

}  // namespace
}  // namespace chatd::bench
