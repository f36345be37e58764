#include "auth/token_source.h"

#include "util/percent_escape.h"

namespace chatd::auth {

namespace {

// %XX decoded; a malformed escape is kept as it is (the token check then fails).
std::string percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (const auto byte = util::percentEscapeAt(text, i)) {
            out += *byte;
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The query of a request target: after '?', before '#'.
std::string_view queryOf(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return {};
    std::string_view query = target.substr(question + 1);
    return query.substr(0, query.find('#'));
}

}  // namespace

std::optional<std::string> requestToken(std::string_view target, std::string_view authorization) {
    std::string_view query = queryOf(target);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair == "token") return std::string();
        if (pair.starts_with("token=")) return percentDecode(pair.substr(6));
    }
    constexpr std::string_view kBearer = "bearer ";
    if (authorization.size() > kBearer.size()) {
        bool is_bearer = true;
        for (std::size_t i = 0; i < kBearer.size(); ++i)
            is_bearer = is_bearer && (authorization[i] | 0x20) == kBearer[i];
        if (is_bearer) {
            std::string_view credentials = authorization.substr(kBearer.size());
            const auto first = credentials.find_first_not_of(' ');
            if (first == std::string_view::npos) return std::nullopt;
            credentials = credentials.substr(first);
            return std::string(credentials.substr(0, credentials.find_last_not_of(' ') + 1));
        }
    }
    return std::nullopt;
}

std::string redactToken(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, question + 1));
    std::string_view rest = target.substr(question + 1);
    const auto hash = rest.find('#');
    const std::string_view fragment = hash == std::string_view::npos ? std::string_view() : rest.substr(hash);
    rest = rest.substr(0, hash);
    bool first = true;
    while (true) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        if (!first) out += '&';
        first = false;
        out += pair.starts_with("token=") ? std::string_view("token=REDACTED") : pair;
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    out += fragment;
    return out;
}

}  // namespace chatd::auth
