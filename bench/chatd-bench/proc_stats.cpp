#include "proc_stats.h"

#include <time.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace chatd::bench {

std::optional<ProcessSample> parseProcStat(std::string_view text, long ticks_per_second, long page_bytes) {
    // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    std::vector<std::string_view> fields;  // fields[0] is field 3 (state)
    std::string_view rest = text.substr(close + 1);
    while (!rest.empty()) {
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) rest.remove_prefix(1);
        const auto end = rest.find_first_of(" \n");
        if (!rest.empty()) fields.push_back(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    }
    if (fields.size() < 22) return std::nullopt;
    auto number = [&](std::size_t index, unsigned long long& out) {
        const auto f = fields[index];
        return std::from_chars(f.data(), f.data() + f.size(), out).ec == std::errc();
    };
    unsigned long long utime, stime, threads, rss_pages;
    if (!number(11, utime) || !number(12, stime) || !number(17, threads) || !number(21, rss_pages)) return std::nullopt;
    ProcessSample sample;
    sample.cpu_s = double(utime + stime) / double(ticks_per_second);
    sample.threads = static_cast<unsigned>(threads);
    sample.rss_bytes = rss_pages * static_cast<unsigned long long>(page_bytes);
    return sample;
}

std::optional<ProcessSample> sampleProcess(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    if (!file) return std::nullopt;
    std::stringstream text;
    text << file.rdbuf();
    return parseProcStat(text.str(), ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE));
}

std::optional<std::size_t> openFileCount(pid_t pid) {
    std::error_code error;
    std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error);
    if (error) return std::nullopt;
    std::size_t count = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
        if (error) return std::nullopt;
        ++count;
    }
    return count;
}

std::int64_t monotonicNs() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double threadCpuSeconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

}  // namespace chatd::bench
