// A plugin instance's chatd_plugin_custom series (see custom_metrics.h).
#include "plugin_host/custom_metrics.h"

#include <algorithm>

#include "chatd/detail/utf8.hpp"

namespace chatd::plugin_host {

bool isValidCustomMetricName(std::string_view name) {
    if (name.empty() || name.size() > kMaxCustomNameBytes) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool CustomMetrics::add(std::string_view name, std::string_view label, double delta) {
    metrics::Gauge* gauge = series(name, label);
    if (gauge == nullptr) return false;
    gauge->add(delta);
    return true;
}

bool CustomMetrics::set(std::string_view name, std::string_view label, double value) {
    metrics::Gauge* gauge = series(name, label);
    if (gauge == nullptr) return false;
    gauge->set(value);
    return true;
}

std::size_t CustomMetrics::seriesCount() const {
    std::lock_guard lock(mutex_);
    return series_.size();
}

metrics::Gauge* CustomMetrics::series(std::string_view name, std::string_view label) {
    if (!isValidCustomMetricName(name) || label.size() > kMaxCustomLabelBytes || !sdk::detail::isValidUtf8(label))
        return nullptr;
    std::pair<std::string, std::string> key{name, label};
    std::lock_guard lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return it->second;
    if (series_.size() >= kMaxCustomSeries) return nullptr;
    metrics::Gauge* gauge = nullptr;
    if (family_ != nullptr) {
        gauge = &family_->with({plugin_, key.first, key.second});
    } else {
        own_.push_back(std::make_unique<metrics::Gauge>());
        gauge = own_.back().get();
    }
    series_.emplace(std::move(key), gauge);
    return gauge;
}

}  // namespace chatd::plugin_host
