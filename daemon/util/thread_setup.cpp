#include "util/thread_setup.h"

#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <cstring>

namespace chatd::util {

namespace {
constexpr std::size_t kMaxThreadName = 15;  // TASK_COMM_LEN - 1
}  // namespace

void nameThisThread(std::string_view name) {
    const std::string truncated(name.substr(0, kMaxThreadName));
    ::pthread_setname_np(::pthread_self(), truncated.c_str());  // fails only on a too-long name
}

std::string runThisThreadInBackground() {
    const sched_param param{};
    if (::sched_setscheduler(0, SCHED_BATCH, &param) == 0) return {};
    return std::strerror(errno);
}

}  // namespace chatd::util
