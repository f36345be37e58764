// JSON formatting of transcript lines (no JSON library needed: the fields are
// strings, and text from the daemon is always valid UTF-8).
#include "transcript_line.h"

#include <cstdio>
#include <ctime>

namespace chatd::plugins::logging {

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7F) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 0xF];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

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

namespace {
void field(std::string& out, std::string_view name, std::string_view value) {
    out += ',';
    appendJsonString(out, name);
    out += ':';
    appendJsonString(out, value);
}
}  // namespace

std::string formatLine(const TranscriptEntry& e) {
    std::string out;
    out.reserve(96 + e.text.size() + e.room.size() + e.nick.size() + e.reason.size());
    out += "{\"time\":";
    appendJsonString(out, formatTime(e.time));
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
    return out;
}

}  // namespace chatd::plugins::logging
