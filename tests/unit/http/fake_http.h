// In-memory stand-ins for Poco's server-side request and response, so
// handlers can be driven without sockets and made to fail on purpose.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

namespace chatd::http::test {

// An HTTPServerResponse whose body goes into a string. It can be told to
// throw from the first `failing_sends` calls of send() (as a dead socket
// would), or to hand out a body stream on which every write fails.
class RecordingResponse : public Poco::Net::HTTPServerResponse {
public:
    int failing_sends = 0;
    bool failing_body = false;

    void sendContinue() override {}
    std::ostream& send() override {
        if (failing_sends > 0) {
            --failing_sends;
            throw Poco::IOException("send failed (test)");
        }
        sent_ = true;
        if (failing_body) body_.setstate(std::ios::badbit);
        return body_;
    }
    void sendFile(const std::string&, const std::string&) override { throw std::logic_error("unused"); }
    void sendBuffer(const void*, std::size_t) override { throw std::logic_error("unused"); }
    void redirect(const std::string&, HTTPStatus) override { throw std::logic_error("unused"); }
    void requireAuthentication(const std::string&) override { throw std::logic_error("unused"); }
    bool sent() const override { return sent_; }

    std::string body() const { return body_.str(); }

private:
    std::ostringstream body_;
    bool sent_ = false;
};

// An HTTPServerRequest with a method and URI, an empty body and fixed addresses.
class FakeRequest : public Poco::Net::HTTPServerRequest {
public:
    FakeRequest(const std::string& method, const std::string& uri, Poco::Net::HTTPServerResponse& response)
        : response_(response) {
        setMethod(method);
        setURI(uri);
    }

    std::istream& stream() override { return body_; }
    const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
    const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
    const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
    Poco::Net::HTTPServerResponse& response() const override { return response_; }
    bool secure() const override { return false; }

private:
    Poco::Net::HTTPServerResponse& response_;
    std::istringstream body_;
    Poco::Net::SocketAddress address_{"127.0.0.1", 8080};
    Poco::Net::HTTPServerParams::Ptr params_ = Poco::makeAuto<Poco::Net::HTTPServerParams>();
};

}  // namespace chatd::http::test
