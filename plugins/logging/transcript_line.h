// One transcript line of the logging plugin: a JSON object on one line,
//   {"time":"2024-05-01T12:00:00.123Z","room":"lobby","nick":"alice",
//    "session":"s1","text":"hi","verdict":"continue"}
// plus "by" (the plugin that decided) for drop/reject and "code"/"reason" for
// reject.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace chatd::plugins::logging {

struct TranscriptEntry {
    std::string_view time;  // formatTime() of when the pipeline decided
    std::string_view room, nick, session, text;
    std::string_view verdict;  // "continue", "drop" or "reject"
    std::string_view by;       // empty for continue
    std::string_view code, reason;
};

// The entry as one JSON line, ending in '\n', written over `out`.
void formatLine(const TranscriptEntry& entry, std::string& out);
inline std::string formatLine(const TranscriptEntry& entry) {
    std::string out;
    formatLine(entry, out);
    return out;
}

// `text` as a JSON string literal, quotes included (UTF-8 is kept as is).
void appendJsonString(std::string& out, std::string_view text);

// "2024-05-01T12:00:00.123Z" (UTC, milliseconds).
std::string formatTime(std::chrono::system_clock::time_point time);

// formatTime() for a clock that moves forward: the date and time of day are
// only recomputed when the second changes (the common case costs a few ns).
class TimeFormatter {
public:
    std::string_view operator()(std::chrono::system_clock::time_point time);

private:
    long long second_ = -1;
    std::string text_;
};

}  // namespace chatd::plugins::logging
