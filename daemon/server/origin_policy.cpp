#include "server/origin_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace chatd::server {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "host:80" with scheme http -> "host"; keeps other ports.
std::string withoutDefaultPort(std::string hostport, std::string_view scheme) {
    const std::string_view suffix = scheme == "https" ? ":443" : ":80";
    if (hostport.size() > suffix.size() && hostport.ends_with(suffix)) hostport.resize(hostport.size() - suffix.size());
    return hostport;
}

struct ParsedOrigin {
    std::string scheme;
    std::string hostport;
};

// Splits "scheme://host[:port]" (nothing after it); false for anything else, e.g. "null".
bool parseOrigin(std::string_view origin, ParsedOrigin& out) {
    const auto sep = origin.find("://");
    if (sep == std::string_view::npos || sep == 0) return false;
    out.scheme = lower(origin.substr(0, sep));
    std::string_view rest = origin.substr(sep + 3);
    if (rest.ends_with('/')) rest.remove_suffix(1);
    if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return false;
    out.hostport = withoutDefaultPort(lower(rest), out.scheme);
    return true;
}

// True for a host[:port] whose host a DNS answer cannot re-point: an IP
// literal, or localhost and names under .localhost (browsers resolve those to
// the loopback themselves, RFC 6761).
bool isPinnedHost(std::string_view hostport) {
    std::string host;
    if (hostport.starts_with('[')) {
        const auto close = hostport.find(']');
        const std::string_view after = close == std::string_view::npos ? "" : hostport.substr(close + 1);
        if (close == std::string_view::npos || !(after.empty() || after.starts_with(':'))) return false;
        host = hostport.substr(1, close - 1);
        in6_addr v6{};
        return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1;
    }
    host = hostport.substr(0, hostport.rfind(':'));
    if (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"))) return true;
    in_addr v4{};
    return ::inet_pton(AF_INET, host.c_str(), &v4) == 1;
}

// The default rule: the page is chatd's own (same host:port as the Host
// header) and that host cannot be re-pointed by DNS.
OriginVerdict checkSameHost(std::string_view origin, std::string_view host) {
    if (host.empty()) return OriginVerdict::NoHost;
    ParsedOrigin parsed;
    if (!parseOrigin(origin, parsed) || parsed.hostport != withoutDefaultPort(lower(host), parsed.scheme))
        return OriginVerdict::OtherHost;
    return isPinnedHost(parsed.hostport) ? OriginVerdict::Allowed : OriginVerdict::NameNotListed;
}

}  // namespace

OriginVerdict checkOrigin(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed) {
    if (allowed.empty()) return checkSameHost(origin, host);
    ParsedOrigin parsed;
    const bool well_formed = parseOrigin(origin, parsed);
    for (const std::string& entry : allowed) {
        if (entry == "*") return OriginVerdict::Allowed;
        ParsedOrigin wanted;
        if (well_formed && parseOrigin(entry, wanted) && wanted.scheme == parsed.scheme &&
            wanted.hostport == parsed.hostport)
            return OriginVerdict::Allowed;
    }
    return OriginVerdict::NotListed;
}

std::string_view originRefusalReason(OriginVerdict verdict) {
    switch (verdict) {
        case OriginVerdict::Allowed:
            return "";
        case OriginVerdict::NotListed:
            return "origin not allowed: not in websocket.allowed_origins";
        case OriginVerdict::OtherHost:
            return "origin not allowed: a page from another host (list it in websocket.allowed_origins)";
        case OriginVerdict::NameNotListed:
            return "origin not allowed: a page served under a DNS name must be listed in websocket.allowed_origins";
        case OriginVerdict::NoHost:
            return "origin not allowed: the request has no Host header to compare it with";
    }
    return "origin not allowed";
}

}  // namespace chatd::server
