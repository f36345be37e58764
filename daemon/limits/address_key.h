// Client addresses as the per-address limits see them: the key an address is
// counted under (IPv6 clients grouped by network prefix, since one host
// usually owns a whole /64), the host part of a peer string, and the real
// client behind a trusted reverse proxy (X-Forwarded-For).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatd::limits {

// An IPv4 or IPv6 network ("10.0.0.0/8", "::1", "2001:db8::/32"); a plain
// address is a network of one.
class IpNetwork {
public:
    // nullopt when `text` is not an IP literal with an optional valid /prefix.
    static std::optional<IpNetwork> parse(std::string_view text);
    // True when `address` (an IP literal; IPv4-mapped IPv6 counts as IPv4) is inside.
    bool contains(std::string_view address) const;

private:
    bool v6_ = false;
    std::array<std::uint8_t, 16> bytes_{};
    unsigned prefix_ = 0;
};

// The networks among `texts` that parse (the config loader checked them all).
std::vector<IpNetwork> parseNetworks(const std::vector<std::string>& texts);
// True when `address` lies in one of `networks`.
bool inAnyNetwork(const std::vector<IpNetwork>& networks, std::string_view address);

// limits.trusted_proxies and limits.exempt_addresses, parsed once per
// (re)configuration and shared by every check that needs them.
struct AddressLists {
    std::vector<IpNetwork> trusted_proxies;
    std::vector<IpNetwork> exempt;
};

// The key `address` is counted under: IPv4 as dotted quad; an IPv4-mapped
// IPv6 address as its IPv4 form; other IPv6 addresses cut to their first
// `ipv6_prefix` bits, e.g. "2001:db8:1:2::/64". nullopt: not an IP literal.
std::optional<std::string> addressKey(std::string_view address, unsigned ipv6_prefix = 64);

// The host of a peer string "1.2.3.4:5678" or "[::1]:5678" (as Poco's
// SocketAddress::toString() writes it): "1.2.3.4", "::1".
std::string_view hostOfPeer(std::string_view peer);

// The client's address: `peer_host` itself unless it lies in one of
// `trusted_proxies`; then the right-most entry of `forwarded_for` (an
// X-Forwarded-For value) that is not a trusted proxy. A malformed entry ends
// the walk and is not trusted: the last trusted hop's view is used instead.
std::string clientAddress(std::string_view peer_host, std::string_view forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies);

}  // namespace chatd::limits
