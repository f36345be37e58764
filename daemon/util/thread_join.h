// Ending a worker thread from wherever its owner is destroyed.
#pragma once

#include <thread>

namespace chatd::util {

// Joins `thread`; detaches it instead when called on that very thread (its
// owner destroyed by a task the thread runs, e.g. a plugin hook that ends its
// own pipeline): a thread cannot join itself. Nothing when not joinable.
inline void joinUnlessSelf(std::thread& thread) {
    if (!thread.joinable()) return;
    if (thread.get_id() == std::this_thread::get_id())
        thread.detach();
    else
        thread.join();
}

}  // namespace chatd::util
