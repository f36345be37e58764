// ThreadOwner: which thread owns an object that is documented as "only
// touched on thread X". The owning thread binds itself when it starts
// running the object (an IO loop, a hub shard, the bus thread) and unbinds
// when it stops; CHATD_ASSERT_OWNED(owner) then checks every entry point.
//
// The check is compiled in when CHATD_CHECK_THREADS is defined (Debug and the
// sanitizer builds, see cmake/ChatdOptions.cmake) and compiles to nothing in
// release builds. An unbound owner (before the thread started, after it
// ended) accepts every thread: construction and teardown happen elsewhere.
#pragma once

#include <atomic>
#include <thread>

namespace chatd::util {

class ThreadOwner {
public:
    void bindToCurrentThread() { owner_.store(std::this_thread::get_id(), std::memory_order_relaxed); }
    void unbind() { owner_.store(std::thread::id{}, std::memory_order_relaxed); }
    // True on the bound thread, or on any thread while unbound.
    bool isOwnedHere() const {
        const std::thread::id owner = owner_.load(std::memory_order_relaxed);
        return owner == std::thread::id{} || owner == std::this_thread::get_id();
    }
    // Aborts the process (with `where` on stderr) unless isOwnedHere().
    void assertOwned(const char* where) const {
        if (!isOwnedHere()) ownershipViolated(where);
    }

private:
    [[noreturn]] static void ownershipViolated(const char* where);

    std::atomic<std::thread::id> owner_{};
};

}  // namespace chatd::util

#ifdef CHATD_CHECK_THREADS
#define CHATD_ASSERT_OWNED(owner) (owner).assertOwned(__func__)
#else
#define CHATD_ASSERT_OWNED(owner) static_cast<void>(0)
#endif
