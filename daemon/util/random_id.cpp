#include "util/random_id.h"

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>

namespace chatd::util {

std::string randomHexId() {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::uint64_t value;
    {
        std::lock_guard lock(mutex);
        value = engine();
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

}  // namespace chatd::util
