// contentTypeFor: every listed extension, case, paths, and the fallback.
#include "http/mime_types.h"

#include <gtest/gtest.h>

namespace chatd::http {
namespace {

TEST(MimeTypes, TextTypesCarryUtf8Charset) {
    EXPECT_EQ(contentTypeFor("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(contentTypeFor("a.htm"), "text/html; charset=utf-8");
    EXPECT_EQ(contentTypeFor("style.css"), "text/css; charset=utf-8");
    EXPECT_EQ(contentTypeFor("app.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(contentTypeFor("mod.mjs"), "text/javascript; charset=utf-8");
    EXPECT_EQ(contentTypeFor("notes.txt"), "text/plain; charset=utf-8");
    EXPECT_EQ(contentTypeFor("data.json"), "application/json; charset=utf-8");
    EXPECT_EQ(contentTypeFor("app.js.map"), "application/json; charset=utf-8");
    EXPECT_EQ(contentTypeFor("logo.svg"), "image/svg+xml; charset=utf-8");
}

TEST(MimeTypes, BinaryTypes) {
    EXPECT_EQ(contentTypeFor("a.png"), "image/png");
    EXPECT_EQ(contentTypeFor("a.jpg"), "image/jpeg");
    EXPECT_EQ(contentTypeFor("a.jpeg"), "image/jpeg");
    EXPECT_EQ(contentTypeFor("a.gif"), "image/gif");
    EXPECT_EQ(contentTypeFor("a.webp"), "image/webp");
    EXPECT_EQ(contentTypeFor("favicon.ico"), "image/x-icon");
    EXPECT_EQ(contentTypeFor("f.woff"), "font/woff");
    EXPECT_EQ(contentTypeFor("f.woff2"), "font/woff2");
    EXPECT_EQ(contentTypeFor("m.wasm"), "application/wasm");
}

TEST(MimeTypes, ExtensionIsCaseInsensitive) {
    EXPECT_EQ(contentTypeFor("INDEX.HTML"), "text/html; charset=utf-8");
    EXPECT_EQ(contentTypeFor("Photo.JpG"), "image/jpeg");
}

TEST(MimeTypes, UsesTheLastExtensionOfTheFileNameOnly) {
    EXPECT_EQ(contentTypeFor("/srv/public/sub/index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(contentTypeFor("archive.html.gz"), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("/dir.html/README"), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("/srv/v1.2/file"), "application/octet-stream");
}

TEST(MimeTypes, UnknownOrMissingExtensionIsOctetStream) {
    EXPECT_EQ(contentTypeFor("a.exe"), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("Makefile"), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("trailingdot."), "application/octet-stream");
    EXPECT_EQ(contentTypeFor(""), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("a.htmlx"), "application/octet-stream");
    EXPECT_EQ(contentTypeFor("a.js "), "application/octet-stream");
}

}  // namespace
}  // namespace chatd::http
