// HTTP-date formatting and strict parsing (see http_date.h).
#include "http/http_date.h"

#include <array>
#include <chrono>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace chatd::http {
namespace {

constexpr std::array<std::string_view, 7> kShortDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Fields {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Consumes the input left to right; every step fails (returns false) on a mismatch.
class Cursor {
public:
    explicit Cursor(std::string_view text) : rest_(text) {}

    bool literal(std::string_view s) {
        if (rest_.substr(0, s.size()) != s) return false;
        rest_.remove_prefix(s.size());
        return true;
    }
    template <std::size_t N>
    bool oneOf(const std::array<std::string_view, N>& words, int* index = nullptr) {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(words[i])) {
                if (index) *index = static_cast<int>(i);
                return true;
            }
        }
        return false;
    }
    // Exactly `count` decimal digits.
    bool digits(int count, int& value) {
        if (rest_.size() < static_cast<std::size_t>(count)) return false;
        value = 0;
        for (int i = 0; i < count; ++i) {
            const char c = rest_[static_cast<std::size_t>(i)];
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        rest_.remove_prefix(static_cast<std::size_t>(count));
        return true;
    }
    bool month(int& value) {
        int index = 0;
        if (!oneOf(kMonths, &index)) return false;
        value = index + 1;
        return true;
    }
    // HH:MM:SS
    bool time(Fields& f) {
        return digits(2, f.hour) && literal(":") && digits(2, f.minute) && literal(":") && digits(2, f.second);
    }
    bool atEnd() const { return rest_.empty(); }

private:
    std::string_view rest_;
};

// Sun, 06 Nov 1994 08:49:37 GMT
bool parseImfFixdate(std::string_view text, Fields& f) {
    Cursor c(text);
    return c.oneOf(kShortDays) && c.literal(", ") && c.digits(2, f.day) && c.literal(" ") && c.month(f.month) &&
           c.literal(" ") && c.digits(4, f.year) && c.literal(" ") && c.time(f) && c.literal(" GMT") && c.atEnd();
}

// Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: 70-99 -> 19xx, else 20xx)
bool parseRfc850(std::string_view text, Fields& f) {
    Cursor c(text);
    if (!(c.oneOf(kLongDays) && c.literal(", ") && c.digits(2, f.day) && c.literal("-") && c.month(f.month) &&
          c.literal("-") && c.digits(2, f.year) && c.literal(" ") && c.time(f) && c.literal(" GMT") && c.atEnd())) {
        return false;
    }
    f.year += f.year >= 70 ? 1900 : 2000;
    return true;
}

// Sun Nov  6 08:49:37 1994 (day is two digits or space + one digit)
bool parseAsctime(std::string_view text, Fields& f) {
    Cursor c(text);
    if (!(c.oneOf(kShortDays) && c.literal(" ") && c.month(f.month) && c.literal(" "))) return false;
    const bool day_ok = c.literal(" ") ? c.digits(1, f.day) : c.digits(2, f.day);
    return day_ok && c.literal(" ") && c.time(f) && c.literal(" ") && c.digits(4, f.year) && c.atEnd();
}

// Calendar fields (UTC) -> Unix time; nullopt for an impossible date or time.
// A leap second (:60) is accepted and counted as the next second.
std::optional<std::time_t> toUnixTime(const Fields& f) {
    using namespace std::chrono;
    const year_month_day date{year{f.year}, month{static_cast<unsigned>(f.month)}, day{static_cast<unsigned>(f.day)}};
    if (!date.ok() || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
    const auto since_epoch = sys_days{date}.time_since_epoch();
    return static_cast<std::time_t>(duration_cast<seconds>(since_epoch).count() + f.hour * 3600 + f.minute * 60 +
                                    f.second);
}

}  // namespace

std::string formatHttpDate(std::time_t t) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(t), Poco::DateTimeFormat::HTTP_FORMAT);
}

std::optional<std::time_t> parseHttpDate(std::string_view text) {
    Fields f;
    if (parseImfFixdate(text, f)) return toUnixTime(f);
    f = Fields{};
    if (parseRfc850(text, f)) return toUnixTime(f);
    f = Fields{};
    if (parseAsctime(text, f)) return toUnixTime(f);
    return std::nullopt;
}

}  // namespace chatd::http
