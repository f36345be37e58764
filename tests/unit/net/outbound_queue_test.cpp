// OutboundQueue over a real socket pair: partial writes keep the byte stream
// whole, dropUnstarted keeps a frame that is half on the wire, a frame costs
// its bytes plus its overhead, and a newer pong takes an unwritten one's place.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include "net/outbound_queue.h"
#include "util/unique_fd.h"

namespace chatd::net {
namespace {

struct SocketPair {
    util::UniqueFd writer, reader;
    SocketPair() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
        writer.reset(fds[0]);
        reader.reset(fds[1]);
        const int small = 4096;
        ::setsockopt(writer.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    }
    std::string drain() {
        std::string out;
        char chunk[65536];
        ssize_t n;
        while ((n = ::read(reader.get(), chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<std::size_t>(n));
        return out;
    }
};

SharedFrame frameOf(char fill, std::size_t size) { return std::make_shared<const std::string>(size, fill); }

// Flushes and drains until the queue is empty; returns every byte received.
std::string flushAll(OutboundQueue& queue, SocketPair& pair) {
    std::string received;
    while (!queue.empty()) {
        if (queue.flush(pair.writer.get()) == OutboundQueue::FlushResult::Error) return received + "<error>";
        received += pair.drain();
    }
    return received + pair.drain();
}

TEST(OutboundQueue, FlushesEverythingInOrderAcrossPartialWrites) {
    SocketPair pair;
    OutboundQueue queue;
    std::string expected;
    for (int i = 0; i < 100; ++i) {
        const char fill = static_cast<char>('a' + i % 26);
        queue.push(frameOf(fill, 1000));
        expected.append(1000, fill);
    }
    EXPECT_EQ(queue.bytes(), 100'000u);
    std::string received;
    while (!queue.empty()) {
        const auto result = queue.flush(pair.writer.get());
        ASSERT_NE(result, OutboundQueue::FlushResult::Error);
        received += pair.drain();
    }
    received += pair.drain();
    EXPECT_EQ(received, expected);
    EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, DropUnstartedKeepsTheHalfWrittenFrame) {
    SocketPair pair;
    OutboundQueue queue;
    queue.push(frameOf('x', 1'000'000));  // cannot fit the socket buffer
    queue.push(frameOf('y', 10));
    ASSERT_EQ(queue.flush(pair.writer.get()), OutboundQueue::FlushResult::WouldBlock);
    const std::size_t left = queue.bytes() - 10;
    queue.dropUnstarted();
    EXPECT_EQ(queue.bytes(), left);  // the rest of 'x', without 'y'
    queue.push(frameOf('z', 5));
    std::string received;
    while (!queue.empty()) {
        ASSERT_NE(queue.flush(pair.writer.get()), OutboundQueue::FlushResult::Error);
        received += pair.drain();
    }
    received += pair.drain();
    EXPECT_EQ(received, std::string(1'000'000, 'x') + std::string(5, 'z'));
}

TEST(OutboundQueue, DropUnstartedOnAnUntouchedQueueEmptiesIt) {
    OutboundQueue queue;
    queue.push(frameOf('a', 3));
    queue.dropUnstarted();
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutboundQueue, WriteToAClosedPeerIsAnError) {
    SocketPair pair;
    pair.reader.reset();
    OutboundQueue queue;
    queue.push(frameOf('a', 10));
    EXPECT_EQ(queue.flush(pair.writer.get()), OutboundQueue::FlushResult::Error);
}

TEST(OutboundQueue, CostCountsEveryFrameAtItsBytesPlusItsOverhead) {
    SocketPair pair;
    OutboundQueue queue;
    for (int i = 0; i < 1000; ++i) queue.push(frameOf('p', 2));  // empty pongs: 2 bytes each
    EXPECT_EQ(queue.bytes(), 2'000u);
    EXPECT_EQ(queue.cost(), 1000u * (2 + OutboundQueue::kFrameOverhead));
    EXPECT_EQ(OutboundQueue::costOf(std::string(2, 'p')), 2 + OutboundQueue::kFrameOverhead);
    flushAll(queue, pair);
    EXPECT_EQ(queue.cost(), 0u);
}

TEST(OutboundQueue, ANewerPongTakesTheUnwrittenOnesPlace) {
    SocketPair pair;
    OutboundQueue queue;
    queue.push(frameOf('x', 1'000'000));  // stays partly unwritten
    queue.pushPong(frameOf('1', 3));
    ASSERT_EQ(queue.flush(pair.writer.get()), OutboundQueue::FlushResult::WouldBlock);
    const std::size_t cost = queue.cost();
    for (char n = '2'; n <= '9'; ++n) queue.pushPong(frameOf(n, 3));
    EXPECT_EQ(queue.cost(), cost) << "pongs piled up";
    queue.push(frameOf('y', 4));
    EXPECT_EQ(flushAll(queue, pair), std::string(1'000'000, 'x') + "999" + "yyyy");
}

TEST(OutboundQueue, APongAlreadyWrittenIsFollowedByANewOne) {
    SocketPair pair;
    OutboundQueue queue;
    queue.pushPong(frameOf('1', 3));
    EXPECT_EQ(flushAll(queue, pair), "111");
    queue.pushPong(frameOf('2', 3));
    queue.dropUnstarted();  // drops the pong too; the next one is queued anew
    queue.pushPong(frameOf('3', 3));
    EXPECT_EQ(flushAll(queue, pair), "333");
}

TEST(OutboundQueue, PongIsFoundAfterTheWrittenPrefixIsReclaimed) {
    SocketPair pair;
    OutboundQueue queue;
    std::string expected;
    for (int i = 0; i < 100; ++i) {
        queue.push(frameOf('a', 1000));
        expected.append(1000, 'a');
    }
    queue.pushPong(frameOf('1', 3));
    std::string received;
    while (queue.bytes() > 30'000) {  // more than 64 frames written: the next push reclaims them
        ASSERT_NE(queue.flush(pair.writer.get()), OutboundQueue::FlushResult::Error);
        received += pair.drain();
    }
    queue.push(frameOf('b', 5));
    queue.pushPong(frameOf('2', 3));
    received += flushAll(queue, pair);
    EXPECT_EQ(received, expected + "222" + "bbbbb");
}

}  // namespace
}  // namespace chatd::net
