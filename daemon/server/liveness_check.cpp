#include "server/liveness_check.h"

namespace chatd::server {

void LivenessCheck::add(std::string name, Poster post) {
    workers_.push_back(Worker{.name = std::move(name),
                              .post = std::move(post),
                              .answered = std::make_shared<std::atomic<std::uint64_t>>(0),
                              .asked = 0});
}

// A worker still owing an answer gets no new task: one task each at most
// waits in a wedged worker's queue, however long it stays wedged.
std::vector<std::string> LivenessCheck::check() {
    std::vector<std::string> silent;
    for (Worker& worker : workers_) {
        if (worker.answered->load(std::memory_order_acquire) < worker.asked) {
            silent.push_back(worker.name);
            continue;
        }
        const std::uint64_t task = ++worker.asked;
        worker.post([answered = worker.answered, task] { answered->store(task, std::memory_order_release); });
    }
    return silent;
}

}  // namespace chatd::server
