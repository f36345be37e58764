// How a request says where its body ends (Content-Length, Transfer-Encoding),
// checked before the request is answered. chatd serves no request that has
// a body, and Poco's server neither reads nor skips a body the handler leaves
// alone: its bytes would be parsed as the next request on a kept-alive
// connection (request smuggling through a proxy that reuses connections).
// So a request with a body, or whose framing two parties could read two
// ways, is refused and its connection closed.
#pragma once

#include <optional>
#include <string>

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

namespace chatd::http {

struct FramingRefusal {
    Poco::Net::HTTPResponse::HTTPStatus status;  // 400 ambiguous framing, 413 a body
    std::string reason;                          // the text/plain answer
};

// nullopt when `request` has no body: no Transfer-Encoding and at most one
// Content-Length field whose value is 0. Otherwise why it is refused:
// - 400: several Content-Length fields (equal or not) or a list in one,
//   a value that is not plain digits, Content-Length together with
//   Transfer-Encoding, a Transfer-Encoding other than one "chunked";
// - 413: a body (Content-Length above 0, or "Transfer-Encoding: chunked").
// The connection must be closed after the refusal: the body is not read.
std::optional<FramingRefusal> checkRequestFraming(const Poco::Net::HTTPRequest& request);

}  // namespace chatd::http
