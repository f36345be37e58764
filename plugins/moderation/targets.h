// What a moderation command names: durations ("10m", "1d", "forever"),
// addresses and networks ("203.0.113.7", "2001:db8::/32"), and the time
// format lists and notices use.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::plugins::moderation {

// A duration in milliseconds: digits and a unit s, m, h, d or w ("90s",
// "10m", "2h", "1d", "4w"); 0 for "forever" / "permanent". nullopt when
// malformed, zero ("0m") or longer than 10 years.
std::optional<std::int64_t> parseDuration(std::string_view text);

// An IPv4 or IPv6 network: the address bytes (IPv4 as IPv4-mapped IPv6)
// and the prefix length over those 128 bits.
struct Network {
    std::array<unsigned char, 16> bytes{};
    int prefix = 128;

    bool contains(const Network& address) const;
    // Canonical text: "203.0.113.7", "198.51.100.0/24", "2001:db8::/32".
    std::string text() const;
};

// An address or a CIDR network; nullopt when `text` is neither (a nick).
// A network's host bits must be zero ("10.0.0.1/8" is refused).
std::optional<Network> parseNetwork(std::string_view text);

// ms since the Unix epoch as "2026-12-07T12:30:00Z".
std::string isoTime(std::int64_t ms);

// 0 -> "forever", otherwise "until <isoTime>".
std::string untilText(std::int64_t until_ms);

}  // namespace chatd::plugins::moderation
