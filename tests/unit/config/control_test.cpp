// The control section: every key, its rules with exact positions, and that
// every control key needs a restart.
#include "test_helpers.h"

namespace chatd::config {
namespace {

using test::expectError;
using test::loadValid;

TEST(Control, EveryKeyIsRead) {
    const Config config = loadValid("control:\n  enabled: false\n  socket: /run/x/ctl.sock\n  group: ops\n");
    EXPECT_FALSE(config.control.enabled);
    EXPECT_EQ(config.control.socket, "/run/x/ctl.sock");
    EXPECT_EQ(config.control.group, "ops");
}

TEST(Control, Rules) {
    expectError("control:\n  socket: ctl.sock\n", "test.yaml:2:11: control.socket",
                "an absolute path of at most 100 bytes, got 'ctl.sock'");
    expectError("control:\n  socket: /" + std::string(100, 'a') + "\n", "test.yaml:2:11: control.socket",
                "an absolute path of at most 100 bytes, got '/" + std::string(100, 'a') + "'");
    expectError("control:\n  group: ''\n", "test.yaml:2:10: control.group", "must not be empty");
    expectError("control:\n  enabled: yes\n", "test.yaml:2:12: control.enabled",
                "expected one of true|false, got 'yes'");
}

TEST(Control, EveryKeyNeedsARestart) {
    Config next;
    next.control = {false, "/run/x.sock", "ops"};
    EXPECT_EQ(keysNeedingRestart(Config{}, next),
              (std::vector<std::string>{"control.enabled", "control.socket", "control.group"}));
}

}  // namespace
}  // namespace chatd::config
