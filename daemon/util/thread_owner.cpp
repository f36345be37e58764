#include "util/thread_owner.h"

#include <cstdio>
#include <cstdlib>

namespace chatd::util {

void ThreadOwner::ownershipViolated(const char* where) {
    std::fprintf(stderr, "chatd: thread ownership violated: %s called off its owning thread\n", where);
    std::fflush(stderr);
    std::abort();
}

}  // namespace chatd::util
