// WebSocket opening-handshake helpers: accept key (Poco SHA-1 + Base64),
// client key check and token lists of headers like Connection and Upgrade.
#include "ws/handshake.h"

#include <Poco/Base64Encoder.h>
#include <Poco/SHA1Engine.h>

#include <sstream>

namespace chatd::ws {
namespace {

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (asciiLower(a[i]) != asciiLower(b[i])) return false;
    }
    return true;
}

std::string_view trimSpaces(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

// Calls visit(item) for every non-empty trimmed item of a comma-separated list;
// stops early when visit returns true, and returns whether it did.
template <typename Visit>
bool forEachToken(std::string_view header, Visit visit) {
    while (true) {
        const auto comma = header.find(',');
        const auto item = trimSpaces(header.substr(0, comma));
        if (!item.empty() && visit(item)) return true;
        if (comma == std::string_view::npos) return false;
        header.remove_prefix(comma + 1);
    }
}

}  // namespace

std::string computeAcceptKey(std::string_view sec_websocket_key) {
    Poco::SHA1Engine sha1;
    sha1.update(sec_websocket_key.data(), static_cast<unsigned>(sec_websocket_key.size()));
    sha1.update(kHandshakeGuid.data(), static_cast<unsigned>(kHandshakeGuid.size()));
    const Poco::DigestEngine::Digest& digest = sha1.digest();

    std::ostringstream out;
    Poco::Base64Encoder base64(out);
    base64.rdbuf()->setLineLength(0);
    base64.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    base64.close();
    return out.str();
}

bool isValidClientKey(std::string_view key) {
    if (key.size() != 24 || key.substr(22) != "==") return false;
    for (std::size_t i = 0; i < 22; ++i) {
        if (!isBase64Char(key[i])) return false;
    }
    return true;
}

std::vector<std::string> splitTokenList(std::string_view header) {
    std::vector<std::string> tokens;
    forEachToken(header, [&](std::string_view item) {
        tokens.emplace_back(item);
        return false;
    });
    return tokens;
}

bool headerHasToken(std::string_view header, std::string_view token) {
    return forEachToken(header, [&](std::string_view item) { return equalsIgnoreCase(item, token); });
}

}  // namespace chatd::ws
