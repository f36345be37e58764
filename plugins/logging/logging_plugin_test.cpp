// Tests of the logging plugin through the fake host: the JSON lines, verdicts,
// reopening on reload, config errors, and that a blocked disk (a FIFO nobody
// reads) makes it drop transcript lines instead of blocking the hook.
#include "logging_plugin.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <chatd/testing/fake_host.hpp>

#include "transcript_line.h"

namespace chatd::plugins::logging {
namespace {

using sdk::testing::FakeHost;

std::string tempPath(const std::string& name) {
    const std::string path = ::testing::TempDir() + "chatd_logging_" + std::to_string(::getpid()) + "_" + name;
    std::remove(path.c_str());
    return path;
}

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The line without its "time" field (which changes from run to run).
std::string withoutTime(const std::string& line) {
    const auto end = line.find("\",");
    return "{" + line.substr(end + 2);
}

TEST(LoggingPlugin, WritesOneJsonLinePerMessage) {
    const std::string path = tempPath("basic.jsonl");
    {
        FakeHost host = FakeHost::of<LoggingPlugin>("logging");
        host.init("file: " + path);
        host.send("hi \"there\"\n\ttab é", {.session_id = 3, .session = "s-3", .room = "dev", .nick = "bob"});
        host.shutdown();
        EXPECT_TRUE(host.logged("1 line(s) written, 0 dropped"));
    }
    const auto lines = readLines(path);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(withoutTime(lines[0]),
              R"({"room":"dev","nick":"bob","session":"s-3","text":"hi \"there\"\n\ttab é","verdict":"continue"})");
    EXPECT_EQ(lines[0].rfind("{\"time\":\"", 0), 0u);
    std::remove(path.c_str());
}

TEST(LoggingPlugin, RelativeFileLivesInTheStateDirectory) {
    const std::string dir = std::filesystem::path(tempPath("state")).parent_path().string();
    ::setenv("STATE_DIRECTORY", (dir + ":/elsewhere").c_str(), 1);
    {
        FakeHost host = FakeHost::of<LoggingPlugin>("logging");
        host.init("file: relative-transcript.jsonl");
        host.send("kept", {.session_id = 1, .session = "s-1", .room = "r", .nick = "n"});
        host.shutdown();
    }
    ::unsetenv("STATE_DIRECTORY");
    const std::string path = dir + "/relative-transcript.jsonl";
    EXPECT_EQ(readLines(path).size(), 1u);
    std::remove(path.c_str());
}

TEST(LoggingPlugin, AppendsToAnExistingFile) {
    const std::string path = tempPath("append.jsonl");
    std::ofstream(path) << "earlier line\n";
    {
        FakeHost host = FakeHost::of<LoggingPlugin>("logging");
        host.init("file: " + path);
        host.send("one");
        host.send("two");
    }
    const auto lines = readLines(path);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "earlier line");
    EXPECT_NE(lines[2].find("\"text\":\"two\""), std::string::npos);
    std::remove(path.c_str());
}

TEST(LoggingPlugin, ReloadReopensTheFileForLogrotate) {
    const std::string path = tempPath("rotate.jsonl");
    const std::string rotated = path + ".1";
    FakeHost host = FakeHost::of<LoggingPlugin>("logging");
    host.init("file: " + path);
    host.send("before rotation");
    ASSERT_EQ(std::rename(path.c_str(), rotated.c_str()), 0);
    host.reload("file: " + path);  // what `systemctl reload chatd` does after logrotate
    host.send("after rotation");
    host.shutdown();
    ASSERT_EQ(readLines(rotated).size(), 1u);
    ASSERT_EQ(readLines(path).size(), 1u);
    EXPECT_NE(readLines(path)[0].find("after rotation"), std::string::npos);
    std::remove(path.c_str());
    std::remove(rotated.c_str());
}

TEST(LoggingPlugin, ConfigErrors) {
    FakeHost host = FakeHost::of<LoggingPlugin>("logging");
    EXPECT_EQ(host.tryInit("").value_or(""), "key 'file' is required");
    EXPECT_EQ(host.tryInit("{file: /nonexistent-dir/t.jsonl}").value_or(""),
              "cannot open file '/nonexistent-dir/t.jsonl': No such file or directory");
    EXPECT_EQ(host.tryInit("{file: x, queue_lines: 0}").value_or(""), "key 'queue_lines': must be from 1 to 10000000");
    EXPECT_EQ(host.tryInit("{file: x, rotate: daily}").value_or(""),
              "unknown key 'rotate' (known keys: file, queue_lines)");
}

// A FIFO that nobody reads stands for a disk that does not keep up: the
// writer thread blocks in write(), the queue fills, and the hook still returns
// at once, counting the lines it could not queue.
TEST(LoggingPlugin, FullQueueDropsLinesInsteadOfBlocking) {
    const std::string path = tempPath("slow.fifo");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    const int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    const int pipe_size = ::fcntl(reader, F_GETPIPE_SZ);
    ASSERT_GT(pipe_size, 0);

    FakeHost host = FakeHost::of<LoggingPlugin>("logging");
    host.init("{file: " + path + ", queue_lines: 4}");
    const std::string text(1000, 'x');
    const int messages = pipe_size / 1000 + 200;  // far more than the pipe and the queue hold
    for (int i = 0; i < messages; ++i) EXPECT_TRUE(host.send(text).passed());
    EXPECT_TRUE(host.logged("transcript queue full (disk too slow?)"));

    // Drain the FIFO so the writer can finish; count what arrived.
    ::fcntl(reader, F_SETFL, 0);  // blocking reads from now on
    std::size_t lines = 0;
    std::thread drain([&] {
        char buf[65536];
        for (ssize_t n; (n = ::read(reader, buf, sizeof buf)) > 0;)
            for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
    });
    host.shutdown();  // closes the writing end: the drain sees EOF
    drain.join();
    ::close(reader);
    std::remove(path.c_str());

    const auto logs = host.logs();
    ASSERT_FALSE(logs.empty());
    const std::string summary = logs.back().text;
    EXPECT_LT(lines, static_cast<std::size_t>(messages));
    EXPECT_NE(
        summary.find(std::to_string(lines) + " line(s) written, " + std::to_string(messages - lines) + " dropped"),
        std::string::npos)
        << summary;
}

TEST(TranscriptLine, FormatsVerdictFieldsAndEscapes) {
    const std::string time =
        formatTime(std::chrono::system_clock::time_point{} + std::chrono::milliseconds(1714564800123));
    TranscriptEntry e{time,
                      "lobby",
                      "al\\ice",
                      "s1",
                      "a\x01\x7F"
                      "b",
                      "reject",
                      "filter",
                      "rejected",
                      "no \"bad\" words"};
    EXPECT_EQ(
        formatLine(e),
        R"({"time":"2024-05-01T12:00:00.123Z","room":"lobby","nick":"al\\ice","session":"s1",)"
        R"("text":"a\u0001\u007fb","verdict":"reject","by":"filter","code":"rejected","reason":"no \"bad\" words"})"
        "\n");
    e.verdict = "drop";
    EXPECT_EQ(
        withoutTime(formatLine(e)),
        R"({"room":"lobby","nick":"al\\ice","session":"s1","text":"a\u0001\u007fb","verdict":"drop","by":"filter"})"
        "\n");
}

TEST(TranscriptLine, TimeFormatterMatchesFormatTimeAcrossSeconds) {
    TimeFormatter formatter;
    const auto t0 = std::chrono::system_clock::time_point{} + std::chrono::milliseconds(1714564799990);
    for (int step = 0; step < 30; ++step) {
        const auto t = t0 + std::chrono::milliseconds(step * 7);
        EXPECT_EQ(formatter(t), formatTime(t));
    }
    const auto later = t0 + std::chrono::hours(30);
    EXPECT_EQ(formatter(later), formatTime(later));
}

TEST(TranscriptLine, TimeIsUtcWithMilliseconds) {
    EXPECT_EQ(formatTime(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(formatTime(std::chrono::system_clock::time_point{} + std::chrono::milliseconds(951782400999)),
              "2000-02-29T00:00:00.999Z");
}

}  // namespace
}  // namespace chatd::plugins::logging
