// Reading one sample out of a Prometheus text page (what /metrics serves).
#pragma once

#include <string>

namespace chatd::testing {

// The value of the sample line starting with `series` ("name{labels}"), or -1.
inline double sampleValue(const std::string& text, const std::string& series) {
    const std::string prefix = series + " ";
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return -1;
}

}  // namespace chatd::testing
