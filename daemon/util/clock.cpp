#include "util/clock.h"

namespace chatd::util {

std::int64_t wallClockMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace chatd::util
