// TlsClient: a blocking TLS client (OpenSSL) for the nginx end-to-end test.
// It verifies the server's certificate against a given CA file and host
// name, exactly as a browser would against its trust store.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/unique_fd.h"

namespace chatd::testing {

class TlsClient {
public:
    // Connects to 127.0.0.1:`port` and completes the handshake with SNI
    // `host`; throws std::runtime_error (with OpenSSL's reason) on failure.
    TlsClient(std::uint16_t port, const std::string& ca_file, const std::string& host);
    ~TlsClient();
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    void write(std::string_view bytes);
    // Appends whatever arrives within `timeout` to `buffer`; false on EOF or timeout with nothing read.
    bool readSome(std::string& buffer, std::chrono::milliseconds timeout);
    // Reads until `buffer` contains `marker`; throws on EOF/timeout.
    void readUntil(std::string& buffer, std::string_view marker, std::chrono::milliseconds timeout);
    std::string protocolVersion() const { return SSL_get_version(ssl_.get()); }

private:
    util::UniqueFd fd_;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context_{nullptr, SSL_CTX_free};
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl_{nullptr, SSL_free};
    bool connected_ = false;
};

}  // namespace chatd::testing
