// StaticFileHandler end to end: a real Poco HTTPServer on 127.0.0.1:<ephemeral>
// serving a temporary tree, driven by HTTPClientSession and, where the exact
// bytes on the wire matter, by a raw StreamSocket.
#include "http/static_file_handler.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include "http/conditional_get.h"
#include "temp_public_dir.h"

namespace chatd::http {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using test::TempPublicDir;

const char* const kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "object-src 'none'";

// Every request goes to a StaticFileHandler for `root` (the lead's router
// does this only for non-WebSocket GET/HEAD; here we also want POST).
class StaticOnlyFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit StaticOnlyFactory(std::string root) : root_(std::move(root)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return std::make_unique<StaticFileHandler>(root_).release();  // Poco takes ownership
    }

private:
    std::string root_;
};

struct Reply {
    HTTPResponse head;
    std::string body;
};

struct RawReply {
    int status = 0;
    std::string headers;  // status line + header lines, without the blank line
    std::string body;     // everything after the blank line, up to EOF
};

void expectSecurityHeaders(const HTTPResponse& r) {
    EXPECT_EQ(r.get("Content-Security-Policy", ""), kCsp);
    EXPECT_EQ(r.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_EQ(r.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(r.get("Referrer-Policy", ""), "no-referrer");
    EXPECT_EQ(r.get("Cross-Origin-Opener-Policy", ""), "same-origin");
}

class StaticFileHandlerTest : public ::testing::Test {
protected:
    void SetUp() override {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port_ = socket.address().port();
        auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
        params->setTimeout(Poco::Timespan(5, 0));
        server_ = std::make_unique<Poco::Net::HTTPServer>(Poco::makeShared<StaticOnlyFactory>(dir_.rootString()),
                                                          socket, params);
        server_->start();
        session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
        session_->setTimeout(Poco::Timespan(10, 0));
        session_->setKeepAlive(true);
    }

    void TearDown() override {
        session_.reset();
        server_->stopAll(true);
    }

    // One request on the shared keep-alive session.
    Reply request(const std::string& method, const std::string& uri,
                  const std::map<std::string, std::string>& headers = {}) {
        HTTPRequest req(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const auto& [name, value] : headers) req.set(name, value);
        session_->sendRequest(req);
        Reply reply;
        std::istream& in = session_->receiveResponse(reply.head);
        Poco::StreamCopier::copyToString(in, reply.body);
        return reply;
    }

    // Sends `bytes` verbatim on a fresh connection and reads until the server closes.
    RawReply rawExchange(const std::string& bytes) {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port_));
        socket.setReceiveTimeout(Poco::Timespan(10, 0));
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
        std::string all;
        char buf[4096];
        for (int n; (n = socket.receiveBytes(buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
        RawReply reply;
        const std::size_t end = all.find("\r\n\r\n");
        if (end == std::string::npos || all.size() < 12) return reply;
        reply.status = std::stoi(all.substr(9, 3));
        reply.headers = all.substr(0, end);
        reply.body = all.substr(end + 4);
        return reply;
    }

    TempPublicDir dir_;
    Poco::UInt16 port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

TEST_F(StaticFileHandlerTest, GetServesBodyAndHeaders) {
    const Reply r = request(HTTPRequest::HTTP_GET, "/index.html");
    EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(r.body, TempPublicDir::kIndexHtml);
    EXPECT_EQ(r.head.getContentType(), "text/html; charset=utf-8");
    EXPECT_EQ(r.head.getContentLength64(), static_cast<Poco::Int64>(r.body.size()));
    EXPECT_EQ(r.head.get("Cache-Control", ""), "no-cache");
    EXPECT_FALSE(r.head.getChunkedTransferEncoding());

    struct stat st {};
    ASSERT_EQ(::stat(dir_.pathOf("index.html").c_str(), &st), 0);
    const std::int64_t mtime_ns = std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    EXPECT_EQ(r.head.get("ETag", ""), makeETag(static_cast<std::uint64_t>(st.st_size), mtime_ns));
    int tzd = 0;
    Poco::DateTime modified;
    EXPECT_TRUE(Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, r.head.get("Last-Modified", ""),
                                               modified, tzd));
    expectSecurityHeaders(r.head);
}

TEST_F(StaticFileHandlerTest, RootAndDirectoryServeIndex) {
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/").body, TempPublicDir::kIndexHtml);
    const Reply sub = request(HTTPRequest::HTTP_GET, "/sub/?x=1");
    EXPECT_EQ(sub.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(sub.body, "<p>sub</p>\n");
}

TEST_F(StaticFileHandlerTest, ContentTypeFollowsExtension) {
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/style.css").head.getContentType(), "text/css; charset=utf-8");
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/app.js").head.getContentType(), "text/javascript; charset=utf-8");
}

TEST_F(StaticFileHandlerTest, LargeFileIsStreamedWhole) {
    std::string big(3 * 64 * 1024 + 7, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + i / 251);
    TempPublicDir::write(dir_.root() / "big.bin", big);
    const Reply r = request(HTTPRequest::HTTP_GET, "/big.bin");
    EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(r.head.getContentType(), "application/octet-stream");
    EXPECT_EQ(r.head.getContentLength64(), static_cast<Poco::Int64>(big.size()));
    EXPECT_TRUE(r.body == big) << "body of " << r.body.size() << " bytes differs";
}

TEST_F(StaticFileHandlerTest, HeadSendsHeadersWithoutBody) {
    const RawReply r = rawExchange("HEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.headers.find("Content-Length: " + std::to_string(std::string(TempPublicDir::kIndexHtml).size())),
              std::string::npos)
        << r.headers;
    EXPECT_NE(r.headers.find("ETag: \""), std::string::npos);
    EXPECT_NE(r.headers.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
    EXPECT_NE(r.headers.find("X-Frame-Options: DENY"), std::string::npos);
    EXPECT_EQ(r.body, "");

    const Reply via_client = request(HTTPRequest::HTTP_HEAD, "/index.html");
    EXPECT_EQ(via_client.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(via_client.body, "");
}

TEST_F(StaticFileHandlerTest, HeadOfMissingFileHasNoBody) {
    const RawReply r = rawExchange("HEAD /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.headers.find("Content-Length: 10"), std::string::npos) << r.headers;
    EXPECT_EQ(r.body, "");
}

TEST_F(StaticFileHandlerTest, IfNoneMatchGives304WithHeaders) {
    const Reply first = request(HTTPRequest::HTTP_GET, "/index.html");
    const std::string etag = first.head.get("ETag");

    for (const std::string& field : {etag, "\"nope\", " + etag, std::string("*"), "W/" + etag}) {
        const Reply r = request(HTTPRequest::HTTP_GET, "/index.html", {{"If-None-Match", field}});
        EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_NOT_MODIFIED) << field;
        EXPECT_EQ(r.body, "");
        EXPECT_EQ(r.head.get("ETag", ""), etag);
        EXPECT_EQ(r.head.get("Cache-Control", ""), "no-cache");
        EXPECT_EQ(r.head.get("Last-Modified", ""), first.head.get("Last-Modified"));
        expectSecurityHeaders(r.head);
    }
    const Reply miss = request(HTTPRequest::HTTP_GET, "/index.html", {{"If-None-Match", "\"nope\""}});
    EXPECT_EQ(miss.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(miss.body, TempPublicDir::kIndexHtml);
}

TEST_F(StaticFileHandlerTest, NotModifiedOnTheWireHasNoBodyAndNoContentType) {
    const std::string etag = request(HTTPRequest::HTTP_GET, "/index.html").head.get("ETag");
    const RawReply r =
        rawExchange("GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nIf-None-Match: " + etag + "\r\n\r\n");
    EXPECT_EQ(r.status, 304);
    EXPECT_EQ(r.body, "");
    EXPECT_NE(r.headers.find("ETag: " + etag), std::string::npos) << r.headers;
    EXPECT_EQ(r.headers.find("\r\nContent-Type:"), std::string::npos) << r.headers;
    EXPECT_NE(r.headers.find("Content-Security-Policy: "), std::string::npos) << r.headers;
}

TEST_F(StaticFileHandlerTest, ETagChangesWhenTheFileChanges) {
    const std::string before = request(HTTPRequest::HTTP_GET, "/style.css").head.get("ETag");
    TempPublicDir::write(dir_.root() / "style.css", "body { color: red; }\n");
    const Reply r = request(HTTPRequest::HTTP_GET, "/style.css", {{"If-None-Match", before}});
    EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(r.body, "body { color: red; }\n");
    EXPECT_NE(r.head.get("ETag"), before);
}

TEST_F(StaticFileHandlerTest, IfModifiedSinceGives304) {
    const std::string last_modified = request(HTTPRequest::HTTP_GET, "/index.html").head.get("Last-Modified");
    const Reply r = request(HTTPRequest::HTTP_GET, "/index.html", {{"If-Modified-Since", last_modified}});
    EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_NOT_MODIFIED);
    EXPECT_EQ(r.body, "");
    expectSecurityHeaders(r.head);

    const Reply old =
        request(HTTPRequest::HTTP_GET, "/index.html", {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}});
    EXPECT_EQ(old.head.getStatus(), HTTPResponse::HTTP_OK);
    const Reply junk = request(HTTPRequest::HTTP_GET, "/index.html", {{"If-Modified-Since", "garbage"}});
    EXPECT_EQ(junk.head.getStatus(), HTTPResponse::HTTP_OK);
    // A non-matching If-None-Match wins over a matching If-Modified-Since.
    const Reply both = request(HTTPRequest::HTTP_GET, "/index.html",
                               {{"If-None-Match", "\"nope\""}, {"If-Modified-Since", last_modified}});
    EXPECT_EQ(both.head.getStatus(), HTTPResponse::HTTP_OK);
}

TEST_F(StaticFileHandlerTest, MissingFileAndDotfileAre404) {
    for (const char* uri : {"/missing.html", "/.env", "/link_out.txt", "/linkdir_out/file.txt", "/fifo"}) {
        const Reply r = request(HTTPRequest::HTTP_GET, uri);
        EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_NOT_FOUND) << uri;
        EXPECT_EQ(r.head.getContentType(), "text/plain; charset=utf-8");
        EXPECT_EQ(r.body, "not found\n");
        EXPECT_TRUE(r.head.get("ETag", "").empty());
        expectSecurityHeaders(r.head);
    }
}

TEST_F(StaticFileHandlerTest, TraversalOnTheWireIs400) {
    for (const char* target : {"/%2e%2e/%2e%2e/etc/passwd", "/../etc/passwd", "/a%2fb", "/%zz", "/a%00b"}) {
        const RawReply r =
            rawExchange(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(r.status, 400) << target;
        EXPECT_EQ(r.body, "bad request\n") << target;
        EXPECT_NE(r.headers.find("X-Content-Type-Options: nosniff"), std::string::npos) << target;
    }
}

TEST_F(StaticFileHandlerTest, OtherMethodsAre405WithAllow) {
    for (const std::string& method :
         {HTTPRequest::HTTP_POST, HTTPRequest::HTTP_PUT, HTTPRequest::HTTP_DELETE, HTTPRequest::HTTP_OPTIONS}) {
        const Reply r = request(method, "/index.html", {{"Content-Length", "0"}});
        EXPECT_EQ(r.head.getStatus(), HTTPResponse::HTTP_METHOD_NOT_ALLOWED) << method;
        EXPECT_EQ(r.head.get("Allow", ""), "GET, HEAD");
        EXPECT_EQ(r.body, "method not allowed\n");
        expectSecurityHeaders(r.head);
    }
}

TEST_F(StaticFileHandlerTest, KeepAliveSurvivesEveryKindOfResponse) {
    // All on one connection: a framing mistake in any response would corrupt the next.
    const std::string etag = request(HTTPRequest::HTTP_GET, "/index.html").head.get("ETag");
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/index.html", {{"If-None-Match", etag}}).head.getStatus(),
              HTTPResponse::HTTP_NOT_MODIFIED);
    EXPECT_EQ(request(HTTPRequest::HTTP_HEAD, "/index.html").head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/nope").head.getStatus(), HTTPResponse::HTTP_NOT_FOUND);
    EXPECT_EQ(request(HTTPRequest::HTTP_GET, "/%zz").head.getStatus(), HTTPResponse::HTTP_BAD_REQUEST);
    EXPECT_EQ(request(HTTPRequest::HTTP_POST, "/", {{"Content-Length", "0"}}).head.getStatus(),
              HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
    const Reply last = request(HTTPRequest::HTTP_GET, "/style.css");
    EXPECT_EQ(last.head.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(last.body, "body { color: black; }\n");
    EXPECT_EQ(server_->totalConnections(), 1);
}

}  // namespace
}  // namespace chatd::http
