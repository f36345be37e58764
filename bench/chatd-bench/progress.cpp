#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace chatd::bench {

Progress::Progress(bool enabled) : enabled_(enabled), terminal_(::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { end(); }

void Progress::show(const std::string& line) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_) return;
    next_ = now + (terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000));
    if (terminal_)
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
    else
        std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
    shown_ = true;
}

void Progress::end() {
    if (enabled_ && terminal_ && shown_) std::fprintf(stderr, "\n");
    shown_ = false;
}

std::string compact(double value) {
    char buffer[32];
    if (value >= 1e6)
        std::snprintf(buffer, sizeof buffer, "%.2fM", value / 1e6);
    else if (value >= 1e4)
        std::snprintf(buffer, sizeof buffer, "%.1fk", value / 1e3);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    return buffer;
}

}  // namespace chatd::bench
