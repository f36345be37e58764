// OutboundQueue over a real socket pair: partial writes keep the byte stream
// whole, and dropUnstarted keeps a frame that is half on the wire.
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

}  // namespace
}  // namespace chatd::net
