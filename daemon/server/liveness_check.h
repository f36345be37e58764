// LivenessCheck: whether every IO loop and hub shard still runs the tasks it
// is given. Each check() hands every worker a tiny task and names the workers
// that have not run the task of the check before: called once per systemd
// watchdog interval, a worker silent for a whole interval is wedged (a loop
// stuck in a call, a shard stuck in a plugin hook), and chatd stops telling
// systemd it is alive (chatd_application.cpp), which then restarts it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chatd::server {

class LivenessCheck {
public:
    // Runs a task on the worker's own thread, later (IoLoop::post, Hub::probeShard).
    using Poster = std::function<void(std::function<void()>)>;

    void add(std::string name, Poster post);
    // The workers that have not run the previous call's task yet (none on
    // the first call); hands a new task to every other worker. One thread.
    std::vector<std::string> check();

private:
    struct Worker {
        std::string name;
        Poster post;
        std::shared_ptr<std::atomic<std::uint64_t>> answered;  // the last task it ran
        std::uint64_t asked = 0;                               // the last task it was given
    };
    std::vector<Worker> workers_;
};

}  // namespace chatd::server
