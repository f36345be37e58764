// LogText: text a peer chose (a request target, a header value, a close
// reason, a plugin's reason), made safe for one log line. Formatting a
// LogText ("{}") writes it escaped and cut short: every byte a terminal or a
// log reader could act on (C0 controls, DEL, C1 controls, invalid UTF-8) and
// the backslash become \xNN (\\), and at most `max_bytes` are written, then
// "... (N bytes)" with the original size. The escaping happens only when the
// line is really logged.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace chatd::util {

inline constexpr std::size_t kLogTextBytes = 200;

struct LogText {
    std::string_view text;
    std::size_t max_bytes = kLogTextBytes;
};

// `text` escaped and cut to `max_bytes` (never inside an escape or a
// character), as formatting a LogText writes it.
std::string escapeForLog(std::string_view text, std::size_t max_bytes = kLogTextBytes);

}  // namespace chatd::util

template <>
struct fmt::formatter<chatd::util::LogText> : fmt::formatter<std::string_view> {
    auto format(const chatd::util::LogText& value, fmt::format_context& context) const {
        return fmt::formatter<std::string_view>::format(chatd::util::escapeForLog(value.text, value.max_bytes),
                                                        context);
    }
};
