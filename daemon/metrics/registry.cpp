#include "metrics/registry.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <variant>

namespace chatd::metrics {

namespace {

bool isNameChar(char c, bool first, bool colon_ok) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
    if (colon_ok && c == ':') return true;
    return !first && c >= '0' && c <= '9';
}

LabelPairs zip(const std::vector<std::string>& names, const LabelValues& values) {
    LabelPairs pairs;
    for (std::size_t i = 0; i < names.size(); ++i) pairs.emplace_back(names[i], values[i]);
    return pairs;
}

}  // namespace

bool isValidMetricName(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!isNameChar(name[i], i == 0, true)) return false;
    return true;
}

bool isValidLabelName(std::string_view name) {
    if (name.empty() || name.starts_with("__")) return false;  // "__" is reserved for Prometheus itself
    for (std::size_t i = 0; i < name.size(); ++i)
        if (!isNameChar(name[i], i == 0, false)) return false;
    return true;
}

struct Registry::Entry {
    std::string help;
    MetricType type;
    std::variant<std::monostate, std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
                 std::unique_ptr<Family<Histogram>>>
        family;
    std::vector<std::string> callback_labels;
    Callback callback;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::add(const std::string& name, const std::string& help, MetricType type,
                               const std::vector<std::string>& labels) {
    if (!isValidMetricName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
    if (type == MetricType::Counter && !name.ends_with("_total"))
        throw std::invalid_argument("counter '" + name + "' must be named *_total");
    std::set<std::string> seen;
    for (const std::string& label : labels) {
        if (!isValidLabelName(label)) throw std::invalid_argument("invalid label name '" + label + "' of " + name);
        if (!seen.insert(label).second) throw std::invalid_argument("label '" + label + "' twice in " + name);
        if (type == MetricType::Histogram && label == "le")
            throw std::invalid_argument("histogram " + name + " cannot have a label named 'le'");
    }
    std::lock_guard lock(mutex_);
    auto [it, inserted] = entries_.try_emplace(name);
    if (!inserted) throw std::invalid_argument("metric '" + name + "' registered twice");
    it->second = std::make_unique<Entry>();
    it->second->help = help;
    it->second->type = type;
    return *it->second;
}

Family<Counter>& Registry::counterFamily(const std::string& name, const std::string& help,
                                         std::vector<std::string> labels) {
    Entry& entry = add(name, help, MetricType::Counter, labels);
    auto family = std::make_unique<Family<Counter>>(std::move(labels), [] { return std::make_unique<Counter>(); });
    auto& ref = *family;
    entry.family = std::move(family);
    return ref;
}

Counter& Registry::counter(const std::string& name, const std::string& help) {
    return counterFamily(name, help, {}).with({});
}

Family<Gauge>& Registry::gaugeFamily(const std::string& name, const std::string& help,
                                     std::vector<std::string> labels) {
    Entry& entry = add(name, help, MetricType::Gauge, labels);
    auto family = std::make_unique<Family<Gauge>>(std::move(labels), [] { return std::make_unique<Gauge>(); });
    auto& ref = *family;
    entry.family = std::move(family);
    return ref;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help) {
    return gaugeFamily(name, help, {}).with({});
}

Family<Histogram>& Registry::histogramFamily(const std::string& name, const std::string& help,
                                             std::vector<std::string> labels, std::vector<double> upper_bounds) {
    Histogram validated(upper_bounds);  // throws before anything is registered
    Entry& entry = add(name, help, MetricType::Histogram, labels);
    auto family = std::make_unique<Family<Histogram>>(
        std::move(labels), [bounds = std::move(upper_bounds)] { return std::make_unique<Histogram>(bounds); });
    auto& ref = *family;
    entry.family = std::move(family);
    return ref;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> upper_bounds) {
    return histogramFamily(name, help, {}, std::move(upper_bounds)).with({});
}

void Registry::callback(const std::string& name, const std::string& help, MetricType type,
                        std::vector<std::string> labels, Callback collect) {
    if (type == MetricType::Histogram) throw std::invalid_argument("callback metrics are counters or gauges");
    Entry& entry = add(name, help, type, labels);
    entry.callback_labels = std::move(labels);
    entry.callback = std::move(collect);
}

std::vector<FamilySnapshot> Registry::collect() const {
    std::vector<FamilySnapshot> out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : entries_) {
        FamilySnapshot family{name, entry->help, entry->type, {}};
        if (entry->callback) {
            auto values = entry->callback();
            std::sort(values.begin(), values.end(),
                      [](const CallbackValue& a, const CallbackValue& b) { return a.labels < b.labels; });
            for (const CallbackValue& value : values) {
                if (value.labels.size() != entry->callback_labels.size())
                    throw std::logic_error("callback of " + name + " returned the wrong number of label values");
                family.series.push_back(Series{zip(entry->callback_labels, value.labels), value.value, std::nullopt});
            }
        } else if (auto* counters = std::get_if<std::unique_ptr<Family<Counter>>>(&entry->family)) {
            (*counters)->forEach([&](const LabelValues& values, const Counter& counter) {
                family.series.push_back(
                    Series{zip((*counters)->labelNames(), values), static_cast<double>(counter.value()), std::nullopt});
            });
        } else if (auto* gauges = std::get_if<std::unique_ptr<Family<Gauge>>>(&entry->family)) {
            (*gauges)->forEach([&](const LabelValues& values, const Gauge& gauge) {
                family.series.push_back(Series{zip((*gauges)->labelNames(), values), gauge.value(), std::nullopt});
            });
        } else if (auto* histograms = std::get_if<std::unique_ptr<Family<Histogram>>>(&entry->family)) {
            (*histograms)->forEach([&](const LabelValues& values, const Histogram& histogram) {
                family.series.push_back(Series{zip((*histograms)->labelNames(), values), 0, histogram.snapshot()});
            });
        }
        if (!family.series.empty()) out.push_back(std::move(family));
    }
    return out;
}

}  // namespace chatd::metrics
