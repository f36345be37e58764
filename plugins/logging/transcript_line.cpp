// JSON formatting of transcript lines (no JSON library needed: the fields are
// strings, and text from the daemon is always valid UTF-8).
#include "transcript_line.h"

#include <chatd/json.hpp>

#include <cstdio>
#include <ctime>

namespace chatd::plugins::logging {

// The SDK's JSON string escaping (one copy for every plugin).
void appendJsonString(std::string& out, std::string_view text) { sdk::json::appendQuoted(out, text); }

std::string formatTime(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    const long millis = static_cast<long>(((ms % 1000) + 1000) % 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[40];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(buf, n);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03ldZ", millis);
    return out + frac;
}

std::string_view TimeFormatter::operator()(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const long long ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    const long long second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    if (second != second_ || text_.size() < 5) {
        text_ = formatTime(time);
        second_ = second;
        return text_;
    }
    const auto millis = static_cast<int>(ms - second * 1000);  // patch ".mmmZ"
    char* frac = text_.data() + text_.size() - 4;
    frac[0] = static_cast<char>('0' + millis / 100);
    frac[1] = static_cast<char>('0' + millis / 10 % 10);
    frac[2] = static_cast<char>('0' + millis % 10);
    return text_;
}

namespace {
void field(std::string& out, std::string_view name, std::string_view value) {
    out += ',';
    appendJsonString(out, name);
    out += ':';
    appendJsonString(out, value);
}
}  // namespace

void formatLine(const TranscriptEntry& e, std::string& out) {
    out.clear();
    out += "{\"time\":";
    appendJsonString(out, e.time);
    field(out, "room", e.room);
    field(out, "nick", e.nick);
    field(out, "session", e.session);
    field(out, "text", e.text);
    field(out, "verdict", e.verdict);
    if (!e.by.empty()) field(out, "by", e.by);
    if (e.verdict == "reject") {
        field(out, "code", e.code);
        field(out, "reason", e.reason);
    }
    out += "}\n";
}

}  // namespace chatd::plugins::logging
