#include "util/heap.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

namespace chatd::util {
namespace {

long residentBytes() {
    std::ifstream statm("/proc/self/statm");
    long total = 0, resident = 0;
    statm >> total >> resident;
    return resident * ::sysconf(_SC_PAGESIZE);
}

// Several threads returning memory at once, the first time in the process:
// in an ASan build glibc's malloc_trim crashed there now and then (seen in
// CI from the IO loops). The race is in first use, so each try is a fresh
// child process whose threads start together.
int childReturnsMemoryFromManyThreads() {
    constexpr int kThreads = 8;
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&start] {
            auto block = std::make_unique<char[]>(512);
            start.arrive_and_wait();
            returnFreeHeapToKernel();
        });
    }
    for (auto& thread : threads) thread.join();
    return 0;
}

TEST(Heap, ReturningMemoryFromManyThreadsAtOnceIsSafe) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) ::_exit(childReturnsMemoryFromManyThreads());
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "attempt " << attempt << ": status " << status;
    }
}

TEST(Heap, TrimmingIsOffExactlyWhenASanitizerOwnsTheHeap) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    EXPECT_FALSE(heapTrimmingAvailable());
#else
    EXPECT_TRUE(heapTrimmingAvailable());
#endif
}

// A fragmented heap: every 64th small block stays, so free() alone cannot
// shrink it; returning the free pages must bring most of it back.
TEST(Heap, FreedPagesInsideAFragmentedHeapGoBackToTheKernel) {
    if (!heapTrimmingAvailable()) GTEST_SKIP() << "the sanitizer's allocator owns the heap";
    constexpr std::size_t kBlocks = 64 * 1024;
    constexpr std::size_t kBlockBytes = 1024;
    std::vector<std::unique_ptr<char[]>> blocks(kBlocks);
    for (auto& block : blocks) {
        block = std::make_unique<char[]>(kBlockBytes);
        std::fill_n(block.get(), kBlockBytes, 'x');  // make the pages resident
    }
    for (std::size_t i = 0; i < kBlocks; ++i) {
        if (i % 64 != 0) blocks[i].reset();
    }
    const long before = residentBytes();
    returnFreeHeapToKernel();
    const long after = residentBytes();
    EXPECT_LT(after, before - 32L * 1024 * 1024) << "before " << before << " after " << after;
}

}  // namespace
}  // namespace chatd::util
