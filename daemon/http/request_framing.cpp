// Request framing checks (see request_framing.h).
#include "http/request_framing.h"

#include <Poco/String.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace chatd::http {
namespace {

using Poco::Net::HTTPResponse;

// Every value of header `name` (case-insensitive), in order.
std::vector<std::string> valuesOf(const Poco::Net::HTTPRequest& request, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : request)
        if (Poco::icompare(key, name) == 0) values.push_back(value);
    return values;
}

// RFC 9110 Content-Length = 1*DIGIT, nothing else (no sign, list or blank).
bool isDigits(const std::string& text) {
    return !text.empty() && std::ranges::all_of(text, [](unsigned char c) { return std::isdigit(c) != 0; });
}

FramingRefusal ambiguous(std::string reason) { return {HTTPResponse::HTTP_BAD_REQUEST, std::move(reason)}; }

}  // namespace

std::optional<FramingRefusal> checkRequestFraming(const Poco::Net::HTTPRequest& request) {
    const std::vector<std::string> lengths = valuesOf(request, Poco::Net::HTTPMessage::CONTENT_LENGTH);
    const std::vector<std::string> codings = valuesOf(request, Poco::Net::HTTPMessage::TRANSFER_ENCODING);
    if (!lengths.empty() && !codings.empty())
        return ambiguous("a request may not carry both Content-Length and Transfer-Encoding");
    if (lengths.size() > 1) return ambiguous("a request may carry one Content-Length");
    if (codings.size() > 1 || (codings.size() == 1 && Poco::icompare(Poco::trim(codings[0]), "chunked") != 0))
        return ambiguous("unsupported Transfer-Encoding");
    if (lengths.size() == 1 && !isDigits(lengths[0])) return ambiguous("malformed Content-Length");
    const bool has_body =
        !codings.empty() || (!lengths.empty() && lengths[0].find_first_not_of('0') != std::string::npos);
    if (!has_body) return std::nullopt;
    return FramingRefusal{HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "this server accepts no request body"};
}

}  // namespace chatd::http
