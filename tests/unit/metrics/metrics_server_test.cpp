#include "metrics/metrics_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sstream>

#include "metrics/text_encoder.h"

namespace chatd::metrics {
namespace {

// The deadline every test's listener arms (none of them dribbles).
limits::HandshakeWatchdog& watchdog() {
    static limits::HandshakeWatchdog shared;
    return shared;
}
std::chrono::milliseconds requestTimeout() { return std::chrono::seconds(10); }

struct Fetched {
    int status = 0;
    std::string content_type;
    std::string allow;
    std::string body;
};

Fetched fetch(std::uint16_t port, const std::string& method, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Fetched out{static_cast<int>(response.getStatus()), response.getContentType(), response.get("Allow", ""), {}};
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    out.body = body.str();
    return out;
}

TEST(MetricsServer, ServesTheRegistryOnSlashMetrics) {
    Registry registry;
    Counter& counter = registry.counter("chatd_test_total", "A test counter.");
    counter.inc(7);
    MetricsServer server(registry, "127.0.0.1", 0, watchdog(), requestTimeout);
    ASSERT_NE(server.port(), 0);
    EXPECT_EQ(server.url(), "http://127.0.0.1:" + std::to_string(server.port()) + "/metrics");
    auto got = fetch(server.port(), "GET", "/metrics");
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.content_type, kTextContentType);
    EXPECT_EQ(got.body, encodeText(registry.collect()));
    counter.inc();
    EXPECT_NE(fetch(server.port(), "GET", "/metrics?x=1").body.find("chatd_test_total 8\n"), std::string::npos);
}

TEST(MetricsServer, HeadHasNoBodyOtherPathsAndMethodsAreRefused) {
    Registry registry;
    registry.gauge("g", "G.").set(1);
    MetricsServer server(registry, "127.0.0.1", 0, watchdog(), requestTimeout);
    auto head = fetch(server.port(), "HEAD", "/metrics");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(fetch(server.port(), "GET", "/").status, 404);
    EXPECT_EQ(fetch(server.port(), "GET", "/metrics/x").status, 404);
    auto post = fetch(server.port(), "POST", "/metrics");
    EXPECT_EQ(post.status, 405);
    EXPECT_EQ(post.allow, "GET, HEAD");
}

TEST(MetricsServer, ABusyPortIsAClearError) {
    Registry registry;
    MetricsServer first(registry, "127.0.0.1", 0, watchdog(), requestTimeout);
    try {
        MetricsServer second(registry, "127.0.0.1", first.port(), watchdog(), requestTimeout);
        FAIL() << "a second server bound the same port";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("metrics: cannot listen on 127.0.0.1:" + std::to_string(first.port())),
                  std::string::npos)
            << error.what();
    }
}

TEST(MetricsServer, Ipv6LoopbackUrlHasBrackets) {
    Registry registry;
    try {
        MetricsServer server(registry, "::1", 0, watchdog(), requestTimeout);
        EXPECT_EQ(server.url(), "http://[::1]:" + std::to_string(server.port()) + "/metrics");
    } catch (const std::runtime_error& error) {
        GTEST_SKIP() << "no IPv6 loopback here: " << error.what();
    }
}

}  // namespace
}  // namespace chatd::metrics
