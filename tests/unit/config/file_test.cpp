// loadFromFile(): unreadable files, errors naming the file, and relative
// directories resolved against the file's own directory.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_helpers.h"

namespace chatd::config {
namespace {

namespace fs = std::filesystem;
using test::allErrors;

// A fresh directory under the system temp dir, removed afterwards.
class ConfigFile : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "chatd-config-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    // Writes `text` to `name` inside the temp dir; returns its path.
    std::string write(const std::string& name, const std::string& text) {
        const fs::path path = dir_ / name;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }
    fs::path dir_;
};

TEST_F(ConfigFile, MissingFileIsOneErrorNamingIt) {
    const std::string path = (dir_ / "absent.yaml").string();
    LoadResult result = loadFromFile(path);
    EXPECT_FALSE(result.ok());
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].format(), path + ": cannot read the config file: No such file or directory");
    EXPECT_EQ(result.errors[0].line, 0);
}

TEST_F(ConfigFile, DirectoryIsUnreadable) {
    LoadResult result = loadFromFile(dir_.string());
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].format(), dir_.string() + ": cannot read the config file: Is a directory");
}

TEST_F(ConfigFile, ErrorsCarryThePath) {
    const std::string path = write("bad.yaml", "log:\n  level: loud\n");
    LoadResult result = loadFromFile(path);
    ASSERT_EQ(result.errors.size(), 1u) << allErrors(result);
    EXPECT_EQ(result.errors[0].file, path);
    EXPECT_EQ(result.errors[0].line, 2);
    EXPECT_EQ(result.errors[0].column, 10);
}

TEST_F(ConfigFile, RelativeDirectoriesFollowTheFile) {
    const std::string path = write("etc/chatd.yaml", "public_dir: www\nplugin_dir: ../lib/./plugins\n");
    LoadResult result = loadFromFile(path);
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(result.config->public_dir, (dir_ / "etc/www").string());
    EXPECT_EQ(result.config->plugin_dir, (dir_ / "lib/plugins").string());
    EXPECT_EQ(result.config->source, path);
}

TEST_F(ConfigFile, RelativeFilePathStillResolvesAgainstItsDirectory) {
    write("conf/chatd.yaml", "public_dir: www\n");
    const fs::path relative = fs::relative(dir_ / "conf/chatd.yaml", fs::current_path());
    ASSERT_TRUE(relative.is_relative());
    LoadResult result = loadFromFile(relative.string());
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(fs::path(result.config->public_dir), fs::weakly_canonical(dir_ / "conf/www"));
    EXPECT_EQ(result.config->source, relative.string());
}

TEST_F(ConfigFile, AbsoluteDirectoriesAreKept) {
    const std::string path = write("chatd.yaml", "public_dir: /srv/www\nplugin_dir: /opt/plugins\n");
    LoadResult result = loadFromFile(path);
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(result.config->public_dir, "/srv/www");
    EXPECT_EQ(result.config->plugin_dir, "/opt/plugins");
}

TEST(ConfigString, RelativeDirectoriesFollowTheCurrentDirectory) {
    LoadResult result = loadFromString("public_dir: www\n", "<built-in>");
    ASSERT_TRUE(result.ok()) << allErrors(result);
    EXPECT_EQ(result.config->public_dir, (fs::current_path() / "www").string());
}

}  // namespace
}  // namespace chatd::config
