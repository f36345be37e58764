#include "server/origin_policy.h"

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

}  // namespace

bool isOriginAllowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed) {
    ParsedOrigin parsed;
    const bool well_formed = parseOrigin(origin, parsed);
    if (allowed.empty()) {
        if (!well_formed || host.empty()) return false;
        return parsed.hostport == withoutDefaultPort(lower(host), parsed.scheme);
    }
    for (const std::string& entry : allowed) {
        if (entry == "*") return true;
        ParsedOrigin wanted;
        if (well_formed && parseOrigin(entry, wanted) && wanted.scheme == parsed.scheme &&
            wanted.hostport == parsed.hostport)
            return true;
    }
    return false;
}

}  // namespace chatd::server
