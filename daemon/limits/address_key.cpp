#include "limits/address_key.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace chatd::limits {

namespace {

// An IP literal as 16 bytes; IPv4 (and IPv4-mapped IPv6) as v6 == false with
// the address in the first four bytes.
struct ParsedIp {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
};

std::optional<ParsedIp> parseIp(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos)
        return std::nullopt;
    char buffer[INET6_ADDRSTRLEN];
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    ParsedIp ip;
    if (::inet_pton(AF_INET, buffer, ip.bytes.data()) == 1) return ip;
    if (::inet_pton(AF_INET6, buffer, ip.bytes.data()) != 1) return std::nullopt;
    static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), kMappedPrefix, sizeof kMappedPrefix) == 0) {
        std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
        std::fill(ip.bytes.begin() + 4, ip.bytes.end(), 0);
        return ip;
    }
    ip.v6 = true;
    return ip;
}

// Keeps the first `prefix` bits of `bytes`, zeroes the rest.
void maskTo(std::array<std::uint8_t, 16>& bytes, unsigned prefix) {
    for (unsigned i = 0; i < bytes.size(); ++i) {
        const unsigned bit = i * 8;
        if (bit >= prefix)
            bytes[i] = 0;
        else if (prefix - bit < 8)
            bytes[i] &= static_cast<std::uint8_t>(0xff << (8 - (prefix - bit)));
    }
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool isTrusted(std::string_view address, const std::vector<IpNetwork>& trusted) {
    return std::any_of(trusted.begin(), trusted.end(),
                       [&](const IpNetwork& network) { return network.contains(address); });
}

}  // namespace

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
    const auto slash = text.find('/');
    const auto ip = parseIp(text.substr(0, slash));
    if (!ip) return std::nullopt;
    IpNetwork network;
    network.v6_ = ip->v6;
    network.bytes_ = ip->bytes;
    const unsigned width = ip->v6 ? 128 : 32;
    network.prefix_ = width;
    if (slash != std::string_view::npos) {
        const std::string_view digits = text.substr(slash + 1);
        unsigned prefix = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || prefix > width)
            return std::nullopt;
        network.prefix_ = prefix;
    }
    maskTo(network.bytes_, network.prefix_);
    return network;
}

bool IpNetwork::contains(std::string_view address) const {
    auto ip = parseIp(address);
    if (!ip || ip->v6 != v6_) return false;
    maskTo(ip->bytes, prefix_);
    return ip->bytes == bytes_;
}

std::vector<IpNetwork> parseNetworks(const std::vector<std::string>& texts) {
    std::vector<IpNetwork> networks;
    for (const std::string& text : texts)
        if (auto network = IpNetwork::parse(text)) networks.push_back(*network);
    return networks;
}

bool inAnyNetwork(const std::vector<IpNetwork>& networks, std::string_view address) {
    return std::ranges::any_of(networks, [&](const IpNetwork& network) { return network.contains(address); });
}

std::optional<std::string> addressKey(std::string_view address, unsigned ipv6_prefix) {
    auto ip = parseIp(address);
    if (!ip) return std::nullopt;
    char text[INET6_ADDRSTRLEN];
    if (!ip->v6) {
        ::inet_ntop(AF_INET, ip->bytes.data(), text, sizeof text);
        return std::string(text);
    }
    const unsigned prefix = std::min(ipv6_prefix, 128u);
    maskTo(ip->bytes, prefix);
    ::inet_ntop(AF_INET6, ip->bytes.data(), text, sizeof text);
    return prefix == 128 ? std::string(text) : std::string(text) + "/" + std::to_string(prefix);
}

std::string_view hostOfPeer(std::string_view peer) {
    if (!peer.empty() && peer.front() == '[') {
        const auto close = peer.find(']');
        return close == std::string_view::npos ? peer : peer.substr(1, close - 1);
    }
    const auto colon = peer.find(':');
    if (colon != std::string_view::npos && peer.find(':', colon + 1) == std::string_view::npos)
        return peer.substr(0, colon);  // "1.2.3.4:5678"; a bare IPv6 literal has several colons
    return peer;
}

std::string clientAddress(std::string_view peer_host, std::string_view forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies) {
    std::string_view client = peer_host;
    if (!isTrusted(client, trusted_proxies)) return std::string(client);
    // Walk X-Forwarded-For from the right: each hop was added by the proxy after it.
    std::string_view rest = forwarded_for;
    while (!rest.empty()) {
        const auto comma = rest.rfind(',');
        const std::string_view hop = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
        if (!parseIp(hop)) break;  // garbage: stop at the last hop we could trust
        client = hop;
        if (!isTrusted(client, trusted_proxies)) break;
    }
    return std::string(client);
}

}  // namespace chatd::limits
