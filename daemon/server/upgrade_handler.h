// UpgradeHandler: validates a WebSocket handshake (version, key, Origin,
// sub-protocol), passes it through Security (connection and per-address
// limits, token), answers 101 itself and hands the raw socket to an IO loop.
// After this the connection never returns to Poco.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

#include "server/server_context.h"

namespace chatd::server {

class UpgradeHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit UpgradeHandler(ServerContext& context) : context_(context) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    // The checks and the hand-over; `outcome` says how it ended (metrics label).
    void handleUpgrade(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                       std::string& outcome);

    ServerContext& context_;
};

// True when the request asks for a WebSocket upgrade (Upgrade: websocket).
bool isUpgradeRequest(const Poco::Net::HTTPServerRequest& request);

}  // namespace chatd::server
