#include "tls_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace chatd::testing {

namespace {

std::string sslError(std::string_view what) {
    std::string out(what);
    for (unsigned long code; (code = ERR_get_error()) != 0;) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        out += ": ";
        out += text;
    }
    return out;
}

}  // namespace

TlsClient::TlsClient(std::uint16_t port, const std::string& ca_file, const std::string& host) {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (!fd_ || ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
    context_.reset(SSL_CTX_new(TLS_client_method()));
    if (!context_) throw std::runtime_error(sslError("SSL_CTX_new"));
    SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(context_.get(), ca_file.c_str(), nullptr) != 1)
        throw std::runtime_error(sslError("loading " + ca_file));
    ssl_.reset(SSL_new(context_.get()));
    SSL_set_tlsext_host_name(ssl_.get(), host.c_str());
    SSL_set1_host(ssl_.get(), host.c_str());  // the certificate must name this host
    SSL_set_fd(ssl_.get(), fd_.get());
    if (SSL_connect(ssl_.get()) != 1) throw std::runtime_error(sslError("TLS handshake"));
    connected_ = true;
}

TlsClient::~TlsClient() {
    if (connected_) SSL_shutdown(ssl_.get());  // our close_notify; the rest is freed by the members
}

void TlsClient::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const int n = SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()));
        if (n <= 0) throw std::runtime_error(sslError("SSL_write"));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

bool TlsClient::readSome(std::string& buffer, std::chrono::milliseconds timeout) {
    if (SSL_pending(ssl_.get()) == 0) {
        pollfd waiting{fd_.get(), POLLIN, 0};
        if (::poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return false;
    }
    char chunk[16 * 1024];
    const int n = SSL_read(ssl_.get(), chunk, sizeof chunk);
    if (n <= 0) {
        const int error = SSL_get_error(ssl_.get(), n);
        return error == SSL_ERROR_WANT_READ;  // a TLS record without application data (e.g. a session ticket)
    }
    buffer.append(chunk, static_cast<std::size_t>(n));
    return true;
}

void TlsClient::readUntil(std::string& buffer, std::string_view marker, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer.find(marker) == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !readSome(buffer, left))
            throw std::runtime_error("no '" + std::string(marker) + "' in what arrived: " + buffer.substr(0, 300));
    }
}

}  // namespace chatd::testing
