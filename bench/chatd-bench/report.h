// Report: the figures of one run, in order, printed as a table for people or
// as one JSON line (--json) for scripts such as bench/compare.sh.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace chatd::bench {

class Report {
public:
    // A number: JSON key, table label, unit ("" for none), decimals shown in the table.
    void number(const std::string& key, double value, const std::string& label, const std::string& unit = "",
                int decimals = 0);
    void text(const std::string& key, const std::string& value, const std::string& label);
    // Counts by cause (JSON: an object); shown in the table only when non-empty.
    void counts(const std::string& key, const std::map<std::string, std::uint64_t>& value, const std::string& label);
    void warn(const std::string& warning) { warnings_.push_back(warning); }

    std::string toJson() const;
    std::string toTable() const;
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    struct Number {
        double value;
        std::string unit;
        int decimals;
    };
    using Value = std::variant<Number, std::string, std::map<std::string, std::uint64_t>>;
    struct Field {
        std::string key;
        std::string label;
        Value value;
    };
    std::vector<Field> fields_;
    std::vector<std::string> warnings_;
};

// JSON string escaping (exposed for tests).
std::string jsonQuote(const std::string& text);

}  // namespace chatd::bench
