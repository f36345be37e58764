// Validation of names, origins and paths, and typo suggestions.
#include "config/names.h"

#include <algorithm>
#include <vector>

#include "config/units.h"

namespace chatd::config {
namespace {

bool isAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool allOf(std::string_view text, bool (*accept)(char)) { return std::all_of(text.begin(), text.end(), accept); }

// A DNS name or IPv4 literal as it may appear in an origin.
bool isHostName(std::string_view host) {
    return !host.empty() && allOf(host, [](char c) { return isAsciiAlnum(c) || c == '-' || c == '.'; });
}

// "[" IPv6 literal "]" (hex digits, ':' and '.' for an embedded IPv4).
bool isBracketedIpv6(std::string_view host) {
    if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
    std::string_view inner = host.substr(1, host.size() - 2);
    return inner.find(':') != std::string_view::npos && allOf(inner, [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
                      c == '.';
           });
}

}  // namespace

bool isValidPluginName(std::string_view name) {
    return !name.empty() && allOf(name, [](char c) { return isAsciiAlnum(c) || c == '_' || c == '-'; });
}

std::string originProblem(std::string_view origin) {
    if (origin == "*") return "";
    const auto schemeEnd = origin.find("://");
    if (schemeEnd == std::string_view::npos)
        return "expected \"*\" or scheme://host[:port], e.g. \"https://chat.example.org\"";
    const std::string_view scheme = origin.substr(0, schemeEnd);
    if (scheme != "http" && scheme != "https")
        return "the scheme must be http or https, got '" + std::string(scheme) + "'";
    std::string_view rest = origin.substr(schemeEnd + 3);
    if (rest.empty()) return "the host is missing after '://'";
    if (rest.find('/') != std::string_view::npos)
        return "an origin has no path (not even a trailing '/'): use scheme://host[:port]";
    std::string_view host = rest;
    const auto colon = rest.rfind(':');
    // A ':' after the closing ']' of an IPv6 literal (or anywhere without one) starts the port.
    if (colon != std::string_view::npos && (rest.front() != '[' || colon > rest.rfind(']'))) {
        host = rest.substr(0, colon);
        const auto port = parseInteger(rest.substr(colon + 1));
        if (!port || rest[colon + 1] == '-' || *port < 1 || *port > 65535)
            return "the port must be a number from 1 to 65535, got '" + std::string(rest.substr(colon + 1)) + "'";
    }
    if (!isHostName(host) && !isBracketedIpv6(host))
        return "the host must be a name, an IPv4 address or a bracketed IPv6 address, got '" + std::string(host) + "'";
    return "";
}

std::string urlPathProblem(std::string_view path) {
    if (path.empty() || path.front() != '/') return "must start with '/'";
    for (char c : path) {
        if (c == '?' || c == '#') return "must not contain '?' or '#'";
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "must not contain spaces or control characters";
    }
    return "";
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Optimal string alignment: three rows of the classic dynamic programme.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string closestMatch(std::string_view word, std::span<const std::string_view> candidates) {
    std::string best;
    std::size_t bestDistance = 3;
    for (std::string_view candidate : candidates) {
        const std::size_t distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = candidate;
        }
    }
    return best;
}

}  // namespace chatd::config
