// A plugin instance's own metrics (metric_add/metric_set of plugin_abi.h):
// gauges exported as chatd_plugin_custom{plugin, name, label}, keyed by the
// entry's name so that values carry on across reloads, at most
// kMaxCustomSeries series per instance. Thread-safe (any thread may call).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/instruments.h"
#include "metrics/registry.h"

namespace chatd::plugin_host {

inline constexpr std::size_t kMaxCustomSeries = 1000;
inline constexpr std::size_t kMaxCustomNameBytes = 64;
inline constexpr std::size_t kMaxCustomLabelBytes = 128;

class CustomMetrics {
public:
    // `family`: chatd_plugin_custom; null keeps the values here only.
    CustomMetrics(std::string plugin, metrics::Family<metrics::Gauge>* family)
        : plugin_(std::move(plugin)), family_(family) {}

    // False (nothing changed) for a name outside [a-z0-9_]{1,64}, a label
    // that is not UTF-8 or longer than 128 bytes, or a new series beyond the limit.
    bool add(std::string_view name, std::string_view label, double delta);
    bool set(std::string_view name, std::string_view label, double value);

    std::size_t seriesCount() const;

private:
    // The series' gauge, created on first use; null when refused.
    metrics::Gauge* series(std::string_view name, std::string_view label);

    std::string plugin_;
    metrics::Family<metrics::Gauge>* family_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, metrics::Gauge*> series_;
    std::vector<std::unique_ptr<metrics::Gauge>> own_;  // the gauges when there is no family
};

// Whether `name` is a custom metric's name: [a-z0-9_]{1,64}.
bool isValidCustomMetricName(std::string_view name);

}  // namespace chatd::plugin_host
