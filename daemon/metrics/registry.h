// Registry: every metric of the daemon by name, with labels. Registration
// and label lookups take a lock (do them once, keep the reference); updates
// on the returned Counter/Gauge/Histogram are lock-free. Values the daemon
// already keeps elsewhere (connections per IO loop, limit hits) are read at
// scrape time through callbacks instead of being copied. collect() returns a
// consistent-enough snapshot that text_encoder.h turns into Prometheus text.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/instruments.h"

namespace chatd::metrics {

enum class MetricType { Counter, Gauge, Histogram };

using LabelValues = std::vector<std::string>;
using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// One labelled series at collection time: a value, or a histogram's buckets.
struct Series {
    LabelPairs labels;
    double value = 0;
    std::optional<Histogram::Snapshot> histogram;
};

struct FamilySnapshot {
    std::string name;
    std::string help;
    MetricType type = MetricType::Counter;
    std::vector<Series> series;  // ordered by label values
};

// A metric with label names; each distinct set of label values is one child.
template <typename Metric>
class Family {
public:
    Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Metric>()> make)
        : label_names_(std::move(label_names)), make_(std::move(make)) {}

    // The child for `values` (created on first use). Throws std::invalid_argument
    // unless there is exactly one value per label name.
    Metric& with(const LabelValues& values);
    const std::vector<std::string>& labelNames() const { return label_names_; }

    // Calls `visit(values, metric)` for every child, in label-value order.
    template <typename Visit>
    void forEach(Visit visit) const {
        std::lock_guard lock(mutex_);
        for (const auto& [values, metric] : children_) visit(values, *metric);
    }

private:
    std::vector<std::string> label_names_;
    std::function<std::unique_ptr<Metric>()> make_;
    mutable std::mutex mutex_;
    std::map<LabelValues, std::unique_ptr<Metric>> children_;
};

// A value computed when scraped.
struct CallbackValue {
    LabelValues labels;
    double value = 0;
};
using Callback = std::function<std::vector<CallbackValue>()>;

class Registry {
public:
    Registry();
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Each throws std::invalid_argument for an invalid or already used name,
    // invalid/duplicate label names, a counter not named *_total, or a
    // histogram label named "le".
    Counter& counter(const std::string& name, const std::string& help);
    Family<Counter>& counterFamily(const std::string& name, const std::string& help, std::vector<std::string> labels);
    Gauge& gauge(const std::string& name, const std::string& help);
    Family<Gauge>& gaugeFamily(const std::string& name, const std::string& help, std::vector<std::string> labels);
    Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds);
    Family<Histogram>& histogramFamily(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, std::vector<double> upper_bounds);
    // A counter or gauge family whose values `collect` returns at scrape time.
    void callback(const std::string& name, const std::string& help, MetricType type, std::vector<std::string> labels,
                  Callback collect);

    // Every family with at least one series, ordered by name.
    std::vector<FamilySnapshot> collect() const;

private:
    struct Entry;
    Entry& add(const std::string& name, const std::string& help, MetricType type,
               const std::vector<std::string>& labels);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// Name rules of the Prometheus data model.
bool isValidMetricName(std::string_view name);
bool isValidLabelName(std::string_view name);

template <typename Metric>
Metric& Family<Metric>::with(const LabelValues& values) {
    if (values.size() != label_names_.size())
        throw std::invalid_argument("expected " + std::to_string(label_names_.size()) + " label values, got " +
                                    std::to_string(values.size()));
    std::lock_guard lock(mutex_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
}

}  // namespace chatd::metrics
