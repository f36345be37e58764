#include "metrics/text_encoder.h"

#include <charconv>
#include <cmath>

namespace chatd::metrics {

namespace {

std::string_view typeName(MetricType type) {
    switch (type) {
        case MetricType::Counter:
            return "counter";
        case MetricType::Gauge:
            return "gauge";
        case MetricType::Histogram:
            return "histogram";
    }
    return "untyped";
}

// {a="x",b="y"} with `extra` (le) appended; nothing for no labels.
void appendLabels(std::string& out, const LabelPairs& labels, const std::pair<std::string, std::string>* extra) {
    if (labels.empty() && !extra) return;
    out += '{';
    bool first = true;
    auto append = [&](const std::string& name, const std::string& value) {
        if (!first) out += ',';
        first = false;
        out += name;
        out += "=\"";
        out += escapeLabelValue(value);
        out += '"';
    };
    for (const auto& [name, value] : labels) append(name, value);
    if (extra) append(extra->first, extra->second);
    out += '}';
}

void appendSample(std::string& out, const std::string& name, std::string_view suffix, const LabelPairs& labels,
                  const std::pair<std::string, std::string>* extra, const std::string& value) {
    out += name;
    out += suffix;
    appendLabels(out, labels, extra);
    out += ' ';
    out += value;
    out += '\n';
}

void appendHistogram(std::string& out, const std::string& name, const Series& series) {
    const Histogram::Snapshot& histogram = *series.histogram;
    for (std::size_t i = 0; i < histogram.cumulative.size(); ++i) {
        const bool inf = i == histogram.upper_bounds.size();
        const std::pair<std::string, std::string> le{"le", inf ? "+Inf" : formatValue(histogram.upper_bounds[i])};
        appendSample(out, name, "_bucket", series.labels, &le, std::to_string(histogram.cumulative[i]));
    }
    appendSample(out, name, "_sum", series.labels, nullptr, formatValue(histogram.sum));
    appendSample(out, name, "_count", series.labels, nullptr, std::to_string(histogram.cumulative.back()));
}

}  // namespace

std::string formatValue(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    if (value == std::trunc(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    return std::string(buffer, result.ptr);
}

namespace {

// HELP text escapes backslash and newline; label values also the double quote.
std::string escapeText(std::string_view text, bool quote) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quote)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

}  // namespace

std::string escapeHelp(std::string_view text) { return escapeText(text, false); }

std::string escapeLabelValue(std::string_view text) { return escapeText(text, true); }

std::string encodeText(const std::vector<FamilySnapshot>& families) {
    std::string out;
    for (const FamilySnapshot& family : families) {
        if (!family.help.empty()) out += "# HELP " + family.name + ' ' + escapeHelp(family.help) + '\n';
        out += "# TYPE " + family.name + ' ';
        out += typeName(family.type);
        out += '\n';
        for (const Series& series : family.series) {
            if (series.histogram)
                appendHistogram(out, family.name, series);
            else
                appendSample(out, family.name, "", series.labels, nullptr, formatValue(series.value));
        }
    }
    return out;
}

}  // namespace chatd::metrics
