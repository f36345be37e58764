// StaticFileHandler when the connection fails under it: handleRequest must
// never throw, answers 500 while it still can, and otherwise drops keep-alive
// so a truncated body cannot be mistaken for the next response.
#include "http/static_file_handler.h"

#include <gtest/gtest.h>

#include <Poco/Net/HTTPRequest.h>

#include "fake_http.h"
#include "temp_public_dir.h"

namespace chatd::http {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using test::FakeRequest;
using test::RecordingResponse;
using test::TempPublicDir;

class StaticFileHandlerFailureTest : public ::testing::Test {
protected:
    void handle(const std::string& method, const std::string& uri) {
        response.setKeepAlive(true);
        FakeRequest request(method, uri, response);
        StaticFileHandler handler(dir.rootString());
        EXPECT_NO_THROW(handler.handleRequest(request, response));
    }

    TempPublicDir dir;
    RecordingResponse response;
};

TEST_F(StaticFileHandlerFailureTest, WorksThroughTheFakes) {
    handle(HTTPRequest::HTTP_GET, "/style.css");
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(response.body(), "body { color: black; }\n");
    EXPECT_TRUE(response.getKeepAlive());
}

TEST_F(StaticFileHandlerFailureTest, ThrowBeforeHeadersBecomes500) {
    response.failing_sends = 1;
    handle(HTTPRequest::HTTP_GET, "/style.css");
    EXPECT_TRUE(response.sent());
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    EXPECT_EQ(response.body(), "internal server error\n");
    EXPECT_EQ(response.getContentType(), "text/plain; charset=utf-8");
    EXPECT_EQ(response.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(response.get("Cache-Control", ""), "no-store");
    EXPECT_FALSE(response.has("ETag"));
    EXPECT_FALSE(response.has("Last-Modified"));
}

TEST_F(StaticFileHandlerFailureTest, HeadThrowBeforeHeadersBecomes500WithoutBody) {
    response.failing_sends = 1;
    handle(HTTPRequest::HTTP_HEAD, "/style.css");
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
    EXPECT_EQ(response.body(), "");
}

TEST_F(StaticFileHandlerFailureTest, ErrorResponsesThatThrowAreContainedToo) {
    response.failing_sends = 1;
    handle(HTTPRequest::HTTP_GET, "/missing");
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
}

TEST_F(StaticFileHandlerFailureTest, WhenEvenThe500FailsNothingEscapes) {
    response.failing_sends = 2;
    handle(HTTPRequest::HTTP_GET, "/style.css");
    EXPECT_FALSE(response.sent());
    EXPECT_FALSE(response.getKeepAlive());
}

TEST_F(StaticFileHandlerFailureTest, BodyWriteFailureDropsKeepAlive) {
    response.failing_body = true;
    handle(HTTPRequest::HTTP_GET, "/style.css");
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_FALSE(response.getKeepAlive());
}

TEST_F(StaticFileHandlerFailureTest, EmptyFileIsACompleteResponse) {
    TempPublicDir::write(dir.root() / "empty.txt", "");
    handle(HTTPRequest::HTTP_GET, "/empty.txt");
    EXPECT_EQ(response.getStatus(), HTTPResponse::HTTP_OK);
    EXPECT_EQ(response.getContentLength64(), 0);
    EXPECT_EQ(response.body(), "");
    EXPECT_TRUE(response.getKeepAlive());
}

}  // namespace
}  // namespace chatd::http
