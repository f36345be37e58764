// The built chatd and its history store at start: the file goes to the
// state directory ($STATE_DIRECTORY), and a file it cannot use (garbage, held
// by another chatd) refuses the start with exit status 78 and one clear line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "daemon_fixture.h"

namespace chatd::testing {
namespace {

std::string historyYaml(const std::string& path) { return testYaml("history:\n  path: " + path + "\n"); }

TEST(HistoryStoreStart, TheDefaultFileIsInTheStateDirectory) {
    Daemon daemon(testYaml("log:\n  level: info\n"));
    const auto state_dir = std::filesystem::path(daemon.configPath()).parent_path();
    const std::string path = (state_dir / "history.db").string();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_TRUE(daemon.process().waitForOutput("history store " + path, std::chrono::seconds(5)))
        << daemon.process().output();
}

TEST(HistoryStoreStart, ACorruptFileExits78WithTheFileAndTheCause) {
    TempDir dir;
    const std::string path = (dir.path() / "history.db").string();
    std::ofstream(path) << std::string(4096, '\x01') << "not a database at all";
    const std::string config = dir.write("chatd.yaml", historyYaml(path));
    auto [code, out] = runChatd({"--config=" + config});
    EXPECT_EQ(code, 78) << out;
    EXPECT_NE(out.find("cannot start: history store " + path + ": the file is not a SQLite database"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("listening on"), std::string::npos) << out;
    EXPECT_EQ(std::filesystem::file_size(path), 4096u + 21u);  // left as it was
}

TEST(HistoryStoreStart, ASecondChatdOnTheSameFileExits78) {
    TempDir dir;
    const std::string path = (dir.path() / "history.db").string();
    Daemon first(historyYaml(path));
    const std::string config = dir.write("second.yaml", historyYaml(path));
    auto [code, out] = runChatd({"--config=" + config});
    EXPECT_EQ(code, 78) << out;
    EXPECT_NE(out.find("history store " + path + ": locked by another process"), std::string::npos) << out;
}

TEST(HistoryStoreStart, AMissingDirectoryExits78) {
    TempDir dir;
    const std::string path = (dir.path() / "missing" / "history.db").string();
    const std::string config = dir.write("chatd.yaml", historyYaml(path));
    auto [code, out] = runChatd({"--config=" + config});
    EXPECT_EQ(code, 78) << out;
    EXPECT_NE(out.find("history store " + path + ": the directory"), std::string::npos) << out;
}

}  // namespace
}  // namespace chatd::testing
