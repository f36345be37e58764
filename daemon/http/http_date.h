// HTTP-date (RFC 9110 5.6.7): formatting as IMF-fixdate and strict parsing
// of the three formats recipients must accept. Poco's DateTimeParser is
// too lenient for this ("garbage" parses as year 0, "Tue, 14 Nov 2023"
// parses as midnight), hence our own.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::http {

// "Sun, 06 Nov 1994 08:49:37 GMT" for a Unix time.
std::string formatHttpDate(std::time_t t);

// Unix time of an IMF-fixdate, an RFC 850 date ("Sunday, 06-Nov-94 08:49:37
// GMT") or an asctime date ("Sun Nov  6 08:49:37 1994"); nullopt for
// anything else, including out-of-range fields and trailing bytes.
std::optional<std::time_t> parseHttpDate(std::string_view text);

}  // namespace chatd::http
