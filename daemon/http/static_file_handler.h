// Serves GET/HEAD for files under the public directory, with validators
// (ETag, Last-Modified), conditional GET (304) and the security headers.
#pragma once

#include <string>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace chatd::http {

class StaticFileHandler : public Poco::Net::HTTPRequestHandler {
public:
    // `root` is the public directory; it is canonicalised on every request,
    // so it may be given relative or through a symlink.
    explicit StaticFileHandler(std::string root);

    // 200 / 304 / 400 / 404 / 405 (Allow: GET, HEAD); 500 if anything throws
    // before the headers went out. Never throws.
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    std::string root_;
};

}  // namespace chatd::http
