// What the history store's tests share: a temporary directory, messages,
// settings with a registry the test reads, and waiting for a condition.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "history/history_store.h"
#include "metrics/registry.h"
#include "temp_dir.h"
#include "util/clock.h"

namespace chatd::history::test {

// A temp directory of the test's own.
class TempDir : public chatd::testing::ScratchDir {
public:
    TempDir() : ScratchDir("chatd-history") {}
};

// A message as the hub would store it; `pad` makes the encoded object bigger.
inline StoredMessage message(const std::string& room, const std::string& epoch, std::uint64_t seq,
                             std::int64_t ts_ms = util::wallClockMillis(), std::size_t pad = 0) {
    std::string json = R"({"type":"message","room":")" + room + R"(","epoch":")" + epoch + R"(","seq":)" +
                       std::to_string(seq) + R"(,"ts":)" + std::to_string(ts_ms) + R"(,"from":"ann","text":"m)" +
                       std::to_string(seq) + std::string(pad, 'x') + R"("})";
    return StoredMessage{room, epoch, seq, ts_ms, std::move(json)};
}

inline StoreSettings settingsFor(const std::string& path, metrics::Registry* registry = nullptr) {
    StoreSettings settings;
    settings.path = path;
    settings.registry = registry;
    return settings;
}

// The value of an unlabelled metric in `registry` (-1 when absent).
inline double metricValue(const metrics::Registry& registry, const std::string& name) {
    for (const auto& family : registry.collect()) {
        if (family.name != name || family.series.empty()) continue;
        const auto& series = family.series.front();
        return series.histogram ? static_cast<double>(series.histogram->cumulative.back()) : series.value;
    }
    return -1;
}

inline bool waitUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

// The seqs of `messages`, in their order.
inline std::vector<std::uint64_t> seqsOf(const std::vector<StoredMessage>& messages) {
    std::vector<std::uint64_t> seqs;
    for (const auto& m : messages) seqs.push_back(m.seq);
    return seqs;
}

inline std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
    std::vector<std::uint64_t> seqs;
    for (auto seq = first; seq <= last; ++seq) seqs.push_back(seq);
    return seqs;
}

}  // namespace chatd::history::test
