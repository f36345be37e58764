// Durations, networks and times; see targets.h.
#include "targets.h"

#include <arpa/inet.h>

#include <charconv>
#include <ctime>

namespace chatd::plugins::moderation {

std::optional<std::int64_t> parseDuration(std::string_view text) {
    if (text == "forever" || text == "permanent") return 0;
    if (text.size() < 2) return std::nullopt;
    std::int64_t count = 0;
    const char* end = text.data() + text.size() - 1;
    const auto [ptr, ec] = std::from_chars(text.data(), end, count);
    if (ec != std::errc() || ptr != end || count <= 0) return std::nullopt;
    std::int64_t unit_ms = 0;
    switch (text.back()) {
        case 's': unit_ms = 1000; break;
        case 'm': unit_ms = 60'000; break;
        case 'h': unit_ms = 3'600'000; break;
        case 'd': unit_ms = 86'400'000; break;
        case 'w': unit_ms = 7 * 86'400'000LL; break;
        default: return std::nullopt;
    }
    constexpr std::int64_t kTenYearsMs = 3653LL * 86'400'000;
    if (count > kTenYearsMs / unit_ms) return std::nullopt;
    return count * unit_ms;
}

bool Network::contains(const Network& address) const {
    int bits = prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
        if ((bytes[i] & mask) != (address.bytes[i] & mask)) return false;
    }
    return true;
}

namespace {
bool isMappedV4(const std::array<unsigned char, 16>& b) {
    for (std::size_t i = 0; i < 10; ++i)
        if (b[i] != 0) return false;
    return b[10] == 0xFF && b[11] == 0xFF;
}
}  // namespace

std::string Network::text() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (isMappedV4(bytes) && prefix >= 96) {
        inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
        return prefix == 128 ? std::string(buf) : std::string(buf) + "/" + std::to_string(prefix - 96);
    }
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    return prefix == 128 ? std::string(buf) : std::string(buf) + "/" + std::to_string(prefix);
}

std::optional<Network> parseNetwork(std::string_view text) {
    const std::size_t slash = text.find('/');
    const std::string address(text.substr(0, slash));
    Network net;
    bool v4 = false;
    if (inet_pton(AF_INET, address.c_str(), net.bytes.data() + 12) == 1) {
        net.bytes[10] = net.bytes[11] = 0xFF;
        v4 = true;
    } else if (inet_pton(AF_INET6, address.c_str(), net.bytes.data()) != 1) {
        return std::nullopt;
    }
    const int max_prefix = v4 ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || prefix < 0 ||
            prefix > max_prefix)
            return std::nullopt;
    }
    net.prefix = v4 ? prefix + 96 : prefix;
    // Zero host bits: the network with its own prefix must equal itself masked.
    for (int bit = net.prefix; bit < 128; ++bit)
        if ((net.bytes[static_cast<std::size_t>(bit / 8)] >> (7 - bit % 8)) & 1) return std::nullopt;
    return net;
}

std::string isoTime(std::int64_t ms) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string untilText(std::int64_t until_ms) { return until_ms == 0 ? "forever" : "until " + isoTime(until_ms); }

}  // namespace chatd::plugins::moderation
