#include "auth/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace chatd::auth {
namespace {

class SecretFile : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (std::filesystem::temp_directory_path() / "chatd-secret-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& content, mode_t mode = 0600) {
        const std::string path = (dir_ / "secret").string();
        std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
        ::chmod(path.c_str(), mode);
        return path;
    }
    std::filesystem::path dir_;
};

const std::string k32 = "0123456789abcdef0123456789abcdef";

TEST_F(SecretFile, InlineSecret) {
    const auto loaded = loadSecret(k32, "");
    ASSERT_TRUE(loaded.secret) << loaded.error;
    EXPECT_EQ(*loaded.secret, k32);
    EXPECT_EQ(loaded.warning, "");
}

TEST_F(SecretFile, OneSourceExactly) {
    EXPECT_NE(loadSecret("", "").error.find("needs auth.secret or auth.secret_file"), std::string::npos);
    EXPECT_NE(loadSecret(k32, write(k32)).error.find("not both"), std::string::npos);
}

TEST_F(SecretFile, FileWithTrailingNewlineDropped) {
    auto loaded = loadSecret("", write(k32 + "\n"));
    ASSERT_TRUE(loaded.secret) << loaded.error;
    EXPECT_EQ(*loaded.secret, k32);
    loaded = loadSecret("", write(k32 + "\r\n"));
    EXPECT_EQ(*loaded.secret, k32);
    loaded = loadSecret("", write(k32 + "\n\n"));  // only one newline is dropped
    EXPECT_EQ(*loaded.secret, k32 + "\n");
    loaded = loadSecret("", write(std::string("\0bin\xff", 5) + k32));  // binary keys are fine
    EXPECT_EQ(loaded.secret->size(), 37u);
}

TEST_F(SecretFile, TooShortIsRefused) {
    EXPECT_NE(loadSecret(std::string(31, 'k'), "").error.find("at least 32 bytes, got 31"), std::string::npos);
    EXPECT_FALSE(loadSecret("", write(std::string(31, 'k') + "\n")).secret);
}

TEST_F(SecretFile, UnreadableMissingDirectoryOrHugeFiles) {
    EXPECT_NE(loadSecret("", (dir_ / "nope").string()).error.find("cannot read secret file"), std::string::npos);
    EXPECT_NE(loadSecret("", dir_.string()).error.find("not a regular file"), std::string::npos);
    EXPECT_NE(loadSecret("", write(std::string(70'000, 'k'))).error.find("larger than 64 KiB"), std::string::npos);
}

TEST_F(SecretFile, WarnsWhenOthersCanRead) {
    auto loaded = loadSecret("", write(k32, 0644));
    ASSERT_TRUE(loaded.secret);
    EXPECT_NE(loaded.warning.find("mode 0644"), std::string::npos) << loaded.warning;
    EXPECT_EQ(loadSecret("", write(k32, 0400)).warning, "");
}

TEST_F(SecretFile, TheSampleConfigsPlaceholderIsRefused) {
    const std::string placeholder = "change-me-to-at-least-32-random-bytes";  // etc/chatd.yaml, commented out
    const auto loaded = loadSecret(placeholder, "");
    EXPECT_FALSE(loaded.secret);
    EXPECT_NE(loaded.error.find("placeholder from the sample config"), std::string::npos) << loaded.error;
    EXPECT_FALSE(loadSecret("", write(placeholder + "\n")).secret);  // from a file too
    EXPECT_TRUE(loadSecret(placeholder + "x", "").secret);           // only that exact text
}

TEST_F(SecretFile, SecretsOfFewDistinctBytesAreRefused) {
    const auto same = loadSecret(std::string(40, 'k'), "");
    EXPECT_FALSE(same.secret);
    EXPECT_NE(same.error.find("only 1 distinct bytes (at least 8)"), std::string::npos) << same.error;
    std::string seven;
    for (int i = 0; i < 35; ++i) seven += static_cast<char>('a' + i % 7);
    EXPECT_NE(loadSecret(seven, "").error.find("only 7 distinct bytes"), std::string::npos);
    std::string eight;
    for (int i = 0; i < 32; ++i) eight += static_cast<char>('a' + i % 8);
    EXPECT_TRUE(loadSecret(eight, "").secret);  // the boundary
}

}  // namespace
}  // namespace chatd::auth
