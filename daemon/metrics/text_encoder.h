// Prometheus text exposition format 0.0.4: what GET /metrics answers.
// https://prometheus.io/docs/instrumenting/exposition_formats/
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "metrics/registry.h"

namespace chatd::metrics {

// The Content-Type of encodeText()'s output.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

// A "# HELP" (unless the help is empty), a "# TYPE" line and the samples of each family; histograms
// as cumulative name_bucket{le="..."} lines ending with le="+Inf", then
// name_sum and name_count. Every line ends with "\n".
std::string encodeText(const std::vector<FamilySnapshot>& families);

// A sample value or bucket bound: integers without a fraction, other values
// in the shortest %g-style form that reads back exactly ("0.0001", "5e-05"); "+Inf", "-Inf", "NaN".
std::string formatValue(double value);

// Escaping of HELP text (backslash, newline) and label values (also '"').
std::string escapeHelp(std::string_view text);
std::string escapeLabelValue(std::string_view text);

}  // namespace chatd::metrics
