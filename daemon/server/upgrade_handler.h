// UpgradeHandler: validates a WebSocket handshake (version, key, Origin,
// sub-protocol), passes it through Security (connection and per-address
// limits, token), answers 101 itself and hands the raw socket to an IO loop.
// After this the connection never returns to Poco.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>

#include <string>
#include <string_view>

#include "server/server_context.h"

namespace chatd::server {

struct Admission;

class UpgradeHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit UpgradeHandler(ServerContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    // The checks and the hand-over; `outcome` says how it ended (metrics label).
    void handleUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                       std::string& outcome);
    bool admitByPlugins(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                        chat::Mode mode, const Admission& admission);
    // Answers a refused upgrade; `logged` when the limit or auth log already said why.
    void refuse(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                Poco::Net::HTTPResponse::HTTPStatus status, std::string_view reason, bool logged = false);

    ServerContext& context_;
};

// True when the request asks for a WebSocket upgrade (Upgrade: websocket).
bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request);

// Every value of header `name` (case-insensitive), in order, joined with
// ", ": RFC 7230 lets a list header such as Sec-WebSocket-Protocol come as
// several lines, which mean the same as one line listing them all.
std::string joinedHeaderValues(const Poco::Net::NameValueCollection& headers, const std::string& name);

}  // namespace chatd::server
