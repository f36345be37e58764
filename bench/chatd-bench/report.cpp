#include "report.h"

#include <cmath>
#include <cstdio>

namespace chatd::bench {

namespace {
std::string jsonNumber(double value) {
    if (!std::isfinite(value)) return "null";
    char buffer[64];
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        std::snprintf(buffer, sizeof buffer, "%.0f", value);
    else
        std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

std::string tableNumber(double value, int decimals) {
    if (!std::isfinite(value)) return "n/a";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    // Thousands separators on the integer part, for reading large counts.
    std::string text = buffer;
    const auto dot = text.find('.');
    std::size_t digits_end = dot == std::string::npos ? text.size() : dot;
    const std::size_t digits_start = text[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = std::ptrdiff_t(digits_end) - 3; i > std::ptrdiff_t(digits_start); i -= 3)
        text.insert(static_cast<std::size_t>(i), ",");
    return text;
}
}  // namespace

std::string jsonQuote(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

void Report::number(const std::string& key, double value, const std::string& label, const std::string& unit,
                    int decimals) {
    fields_.push_back({key, label, Number{value, unit, decimals}});
}

void Report::text(const std::string& key, const std::string& value, const std::string& label) {
    fields_.push_back({key, label, value});
}

void Report::counts(const std::string& key, const std::map<std::string, std::uint64_t>& value,
                    const std::string& label) {
    fields_.push_back({key, label, value});
}

std::string Report::toJson() const {
    std::string out = "{";
    for (const Field& field : fields_) {
        if (out.size() > 1) out += ",";
        out += jsonQuote(field.key) + ":";
        if (const auto* number = std::get_if<Number>(&field.value)) {
            out += jsonNumber(number->value);
        } else if (const auto* text = std::get_if<std::string>(&field.value)) {
            out += jsonQuote(*text);
        } else {
            const auto& counts = std::get<std::map<std::string, std::uint64_t>>(field.value);
            out += "{";
            bool first = true;
            for (const auto& [cause, count] : counts) {
                if (!first) out += ",";
                first = false;
                out += jsonQuote(cause) + ":" + std::to_string(count);
            }
            out += "}";
        }
    }
    out += ",\"warnings\":[";
    for (std::size_t i = 0; i < warnings_.size(); ++i) out += (i ? "," : "") + jsonQuote(warnings_[i]);
    return out + "]}";
}

std::string Report::toTable() const {
    std::size_t width = 0;
    for (const Field& field : fields_) width = std::max(width, field.label.size());
    std::string out;
    for (const Field& field : fields_) {
        std::string value;
        if (const auto* number = std::get_if<Number>(&field.value)) {
            value = tableNumber(number->value, number->decimals);
            if (!number->unit.empty()) value += " " + number->unit;
        } else if (const auto* text = std::get_if<std::string>(&field.value)) {
            value = *text;
        } else {
            const auto& counts = std::get<std::map<std::string, std::uint64_t>>(field.value);
            if (counts.empty()) continue;
            for (const auto& [cause, count] : counts) value += (value.empty() ? "" : ", ") + cause + " x" + std::to_string(count);
        }
        out += "  " + field.label + std::string(width - field.label.size() + 2, ' ') + value + "\n";
    }
    for (const std::string& warning : warnings_) out += "WARNING: " + warning + "\n";
    return out;
}

}  // namespace chatd::bench
