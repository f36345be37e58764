// RequestRouter: Poco's handler factory. A request with a body or ambiguous
// framing -> refused, connection closed (http/request_framing.h); GET /healthz
// -> health; a WebSocket upgrade on websocket.path or "/" -> upgrade; other
// GET/HEAD -> static files.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "server/server_context.h"

namespace chatd::server {

class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestRouter(ServerContext& context) : context_(context) {}
    // Poco owns (and deletes) the handler it is given.
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    ServerContext& context_;
};

}  // namespace chatd::server
