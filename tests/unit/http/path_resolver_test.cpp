// resolveStaticPath against a real temporary tree: the happy paths, every
// BadRequest rule, and every way out of the root ending in NotFound.
#include "http/path_resolver.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "temp_public_dir.h"

namespace chatd::http {
namespace {

using test::TempPublicDir;

class PathResolverTest : public ::testing::Test {
protected:
    ResolvedPath resolve(std::string_view uri) const { return resolveStaticPath(dir.rootString(), uri); }

    void expectOk(std::string_view uri, const std::string& relative) const {
        const ResolvedPath r = resolve(uri);
        EXPECT_EQ(r.status, ResolveStatus::Ok) << uri;
        EXPECT_EQ(r.file, dir.pathOf(relative)) << uri;
    }
    void expectStatus(std::string_view uri, ResolveStatus status) const {
        const ResolvedPath r = resolve(uri);
        EXPECT_EQ(r.status, status) << uri;
        if (status != ResolveStatus::Ok) {
            EXPECT_TRUE(r.file.empty()) << uri;
        }
    }

    TempPublicDir dir;
};

TEST_F(PathResolverTest, RootServesIndexHtml) { expectOk("/", "index.html"); }

TEST_F(PathResolverTest, PlainFiles) {
    expectOk("/index.html", "index.html");
    expectOk("/style.css", "style.css");
    expectOk("/app.js", "app.js");
}

TEST_F(PathResolverTest, DirectoryWithOrWithoutSlashServesItsIndex) {
    expectOk("/sub/", "sub/index.html");
    expectOk("/sub", "sub/index.html");
    expectOk("/sub/.", "sub/index.html");
}

TEST_F(PathResolverTest, DuplicateSlashesAndDotSegmentsAreNormalised) {
    expectOk("//sub//./index.html", "sub/index.html");
    expectOk("/./style.css", "style.css");
    expectOk("/%2e/style.css", "style.css");
}

TEST_F(PathResolverTest, PercentDecodingHappensOnce) {
    expectOk("/a%20b.txt", "a b.txt");
    expectOk("/%73tyle.css", "style.css");
    // %25 decodes to a literal '%', which is not decoded again.
    expectStatus("/a%2520b.txt", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, QueryAndFragmentAreIgnored) {
    expectOk("/style.css?y=1", "style.css");
    expectOk("/index.html#top", "index.html");
    expectOk("/?q=/../etc/passwd", "index.html");
    expectOk("/sub/#x?y", "sub/index.html");
    expectStatus("/x?y=1", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, DotDotSegmentsAreBadRequests) {
    expectStatus("/../etc/passwd", ResolveStatus::BadRequest);
    expectStatus("/%2e%2e/x", ResolveStatus::BadRequest);
    expectStatus("/%2E%2E/x", ResolveStatus::BadRequest);
    expectStatus("/.%2e/x", ResolveStatus::BadRequest);
    expectStatus("/sub/..", ResolveStatus::BadRequest);
    expectStatus("/sub/../index.html", ResolveStatus::BadRequest);
    expectStatus("/sub/%2e%2e/", ResolveStatus::BadRequest);
    // ".." hidden behind an earlier dotfile segment is still a BadRequest.
    expectStatus("/.env/../index.html", ResolveStatus::BadRequest);
}

TEST_F(PathResolverTest, SegmentsMerelyContainingDotsAreFine) {
    TempPublicDir::write(dir.root() / "..a", "x");
    TempPublicDir::write(dir.root() / "a..", "x");
    expectOk("/a..", "a..");
    expectStatus("/..a", ResolveStatus::NotFound);  // a dotfile, not a ".." segment
}

TEST_F(PathResolverTest, EncodedSlashIsBadRequest) {
    expectStatus("/a%2fb", ResolveStatus::BadRequest);
    expectStatus("/sub%2Findex.html", ResolveStatus::BadRequest);
}

TEST_F(PathResolverTest, NulAndBackslashAreBadRequests) {
    expectStatus("/a%00b", ResolveStatus::BadRequest);
    expectStatus(std::string_view("/a\0b", 4), ResolveStatus::BadRequest);
    expectStatus("/a%5cb", ResolveStatus::BadRequest);
    expectStatus("/a%5Cb", ResolveStatus::BadRequest);
    expectStatus("/..\\etc\\passwd", ResolveStatus::BadRequest);
    expectStatus("/sub\\index.html", ResolveStatus::BadRequest);
}

TEST_F(PathResolverTest, MalformedPercentEscapesAreBadRequests) {
    expectStatus("/%zz", ResolveStatus::BadRequest);
    expectStatus("/%", ResolveStatus::BadRequest);
    expectStatus("/%4", ResolveStatus::BadRequest);
    expectStatus("/abc%", ResolveStatus::BadRequest);
    expectStatus("/%4g", ResolveStatus::BadRequest);
    expectStatus("/%g4", ResolveStatus::BadRequest);
    expectStatus("/%%41", ResolveStatus::BadRequest);
}

TEST_F(PathResolverTest, MustStartWithSlash) {
    expectStatus("", ResolveStatus::BadRequest);
    expectStatus("index.html", ResolveStatus::BadRequest);
    expectStatus("*", ResolveStatus::BadRequest);
    expectStatus("http://localhost/index.html", ResolveStatus::BadRequest);
    expectStatus("?/index.html", ResolveStatus::BadRequest);
}

TEST_F(PathResolverTest, LengthLimitIsOnThePathAt1024Bytes) {
    const std::string at_limit = "/" + std::string(kMaxRequestPathBytes - 1, 'a');
    ASSERT_EQ(at_limit.size(), kMaxRequestPathBytes);
    expectStatus(at_limit, ResolveStatus::NotFound);
    expectStatus(at_limit + "a", ResolveStatus::BadRequest);
    expectStatus("/" + std::string(5000, 'a'), ResolveStatus::BadRequest);
    // The query does not count towards the limit.
    expectOk("/style.css?" + std::string(5000, 'q'), "style.css");
}

TEST_F(PathResolverTest, DotfilesAreNotFound) {
    expectStatus("/.env", ResolveStatus::NotFound);
    expectStatus("/%2eenv", ResolveStatus::NotFound);
    expectStatus("/.hidden/x.txt", ResolveStatus::NotFound);
    expectStatus("/.hidden/", ResolveStatus::NotFound);
    expectStatus("/link_to_dotfile", ResolveStatus::NotFound);      // dotfile reached via a symlink
    expectStatus("/.dotlink/index.html", ResolveStatus::NotFound);  // dot-named link to a plain dir
}

TEST_F(PathResolverTest, SymlinksLeavingTheRootAreNotFound) {
    ASSERT_TRUE(std::filesystem::is_regular_file(dir.root() / "link_out.txt"));
    expectStatus("/link_out.txt", ResolveStatus::NotFound);
    ASSERT_TRUE(std::filesystem::is_regular_file(dir.root() / "linkdir_out" / "file.txt"));
    expectStatus("/linkdir_out/file.txt", ResolveStatus::NotFound);
    expectStatus("/linkdir_out/", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, SymlinksInsideTheRootAreFollowed) {
    expectOk("/link_in.css", "style.css");
    expectOk("/link_in_dir/", "sub/index.html");
    expectOk("/link_in_dir/index.html", "sub/index.html");
}

TEST_F(PathResolverTest, MissingAndNonRegularFilesAreNotFound) {
    expectStatus("/missing.html", ResolveStatus::NotFound);
    expectStatus("/missing/", ResolveStatus::NotFound);
    expectStatus("/emptydir/", ResolveStatus::NotFound);  // directory without index.html
    expectStatus("/emptydir", ResolveStatus::NotFound);
    expectStatus("/fifo", ResolveStatus::NotFound);
    expectStatus("/index.html/", ResolveStatus::NotFound);  // a file is not a directory
    expectStatus("/style.css/x", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, IndexThatIsADirectoryIsNotFound) {
    std::filesystem::create_directories(dir.root() / "weird" / "index.html");
    expectStatus("/weird/", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, IndexSymlinkLeavingTheRootIsNotFound) {
    std::filesystem::create_directories(dir.root() / "trap");
    std::filesystem::create_symlink(dir.base() / "secret.txt", dir.root() / "trap" / "index.html");
    expectStatus("/trap/", ResolveStatus::NotFound);
    expectStatus("/trap", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, RootGivenThroughASymlinkOrRelativeWorks) {
    const ResolvedPath via_link = resolveStaticPath((dir.base() / "root_link").string(), "/style.css");
    EXPECT_EQ(via_link.status, ResolveStatus::Ok);
    EXPECT_EQ(via_link.file, dir.pathOf("style.css"));

    const ResolvedPath trailing = resolveStaticPath(dir.rootString() + "/", "/style.css");
    EXPECT_EQ(trailing.status, ResolveStatus::Ok);
    EXPECT_EQ(trailing.file, dir.pathOf("style.css"));
}

TEST_F(PathResolverTest, SiblingDirectorySharingThePrefixIsOutside) {
    // <base>/public-evil starts with the root's name but is not inside it.
    std::filesystem::create_directories(dir.base() / "public-evil");
    TempPublicDir::write(dir.base() / "public-evil" / "x.txt", "evil");
    std::filesystem::create_symlink(dir.base() / "public-evil" / "x.txt", dir.root() / "evil.txt");
    expectStatus("/evil.txt", ResolveStatus::NotFound);
}

TEST_F(PathResolverTest, MissingRootIsNotFound) {
    const ResolvedPath r = resolveStaticPath((dir.base() / "nope").string(), "/index.html");
    EXPECT_EQ(r.status, ResolveStatus::NotFound);
}

}  // namespace
}  // namespace chatd::http
