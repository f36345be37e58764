// The history section and state_dir: every key, its type and range, the
// defaults ($STATE_DIRECTORY, else the working directory; history.db in it),
// a relative path resolved against state_dir.
#include <stdlib.h>

#include <filesystem>

#include "test_helpers.h"

namespace chatd::config {
namespace {

using namespace std::chrono_literals;
using test::expectError;
using test::loadValid;

// Sets or clears $STATE_DIRECTORY for one test, and puts it back.
class StateDirectoryEnv {
public:
    explicit StateDirectoryEnv(const char* value) {
        if (const char* old = std::getenv("STATE_DIRECTORY")) old_ = old;
        value ? ::setenv("STATE_DIRECTORY", value, 1) : ::unsetenv("STATE_DIRECTORY");
    }
    ~StateDirectoryEnv() { old_ ? ::setenv("STATE_DIRECTORY", old_->c_str(), 1) : ::unsetenv("STATE_DIRECTORY"); }

private:
    std::optional<std::string> old_;
};

TEST(History, EveryKeyIsRead) {
    const Config config = loadValid(
        "state_dir: /srv/chatd\n"
        "history:\n"
        "  store: memory\n"
        "  path: /data/chat.db\n"
        "  max_age: 48h\n"
        "  max_messages: 0\n"
        "  sync: full\n");
    EXPECT_EQ(config.state_dir, "/srv/chatd");
    EXPECT_EQ(config.history.store, HistoryStoreType::Memory);
    EXPECT_EQ(config.history.path, "/data/chat.db");
    EXPECT_EQ(config.history.max_age, 48h);
    EXPECT_EQ(config.history.max_messages, 0u);
    EXPECT_EQ(config.history.sync, HistorySync::Full);
}

TEST(History, DefaultsFollowTheStateDirectory) {
    {
        StateDirectoryEnv env("/var/lib/chatd:/var/lib/other");
        const Config config = loadValid("listen: {port: 1}");
        EXPECT_EQ(config.state_dir, "/var/lib/chatd");
        EXPECT_EQ(config.history.path, "/var/lib/chatd/history.db");
        EXPECT_EQ(config.history.store, HistoryStoreType::Sqlite);
        EXPECT_EQ(config.history.sync, HistorySync::Normal);
        EXPECT_EQ(config.history.max_age, 720h);
        EXPECT_EQ(config.history.max_messages, 10'000u);
    }
    {
        StateDirectoryEnv env(nullptr);
        const Config config = loadValid("listen: {port: 1}");
        EXPECT_EQ(config.state_dir, std::filesystem::current_path().string());
        EXPECT_EQ(config.history.path, (std::filesystem::current_path() / "history.db").string());
    }
    StateDirectoryEnv env("/var/lib/chatd");
    EXPECT_EQ(loadValid("state_dir: /srv/c\n").history.path, "/srv/c/history.db");  // the file wins
    EXPECT_EQ(loadValid("history: {path: sub/h.db}\n").history.path, "/var/lib/chatd/sub/h.db");
}

TEST(History, RulesAndRanges) {
    expectError("state_dir: var/lib\n", "test.yaml:1:12: state_dir", "must be an absolute path, got 'var/lib'");
    expectError("history:\n  store: sqlit\n", "test.yaml:2:10: history.store",
                "expected one of sqlite|memory, got 'sqlit'; did you mean 'sqlite'?");
    expectError("history:\n  sync: off\n", "test.yaml:2:9: history.sync", "expected one of normal|full, got 'off'");
    expectError("history:\n  max_messages: -1\n", "test.yaml:2:17: history.max_messages",
                "must be between 0 and 100000000, got -1");
    expectError("history:\n  max_age: 87601h\n", "test.yaml:2:12: history.max_age",
                "must be between 0ms and 87600h, got 87601h");
    expectError("history:\n  path: /var/lib/chatd/\n", "test.yaml:2:9: history.path",
                "must name a file, got the directory '/var/lib/chatd/'");
    expectError("history:\n  max_mesages: 5\n", "test.yaml:2:3: history.max_mesages",
                "unknown key 'max_mesages'; did you mean 'max_messages'?");
}

}  // namespace
}  // namespace chatd::config
