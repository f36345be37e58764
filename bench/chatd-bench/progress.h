// Progress: one status line on stderr while a run goes on, rewritten in place
// on a terminal, one line per second otherwise; silent with --quiet.
#pragma once

#include <chrono>
#include <string>

namespace chatd::bench {

class Progress {
public:
    explicit Progress(bool enabled);
    ~Progress();
    void show(const std::string& line);  // throttled
    void end();                          // finishes the line

private:
    bool enabled_;
    bool terminal_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point next_{};
};

// "1.23M", "45.6k", "789": compact counts for the progress line.
std::string compact(double value);

}  // namespace chatd::bench
