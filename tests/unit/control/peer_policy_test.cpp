// Who the control socket serves (peer_policy.h) and where it lives by default.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/peer_policy.h"
#include "control/socket_path.h"

namespace chatd::control {
namespace {

constexpr uid_t kDaemon = 120;
constexpr gid_t kGroup = 130;
constexpr uid_t kNobody = 65534;

PeerIdentity peer(uid_t uid, gid_t gid, std::vector<gid_t> groups = {}) { return {42, uid, gid, std::move(groups)}; }

TEST(PeerPolicy, RootTheDaemonsUserAndGroupMembers) {
    const AccessRule rule{kDaemon, kGroup, false, kNobody};
    EXPECT_EQ(admit(rule, peer(0, 0)), Admission::Root);
    EXPECT_EQ(admit(rule, peer(kDaemon, 999)), Admission::DaemonUser);
    EXPECT_EQ(admit(rule, peer(1000, kGroup)), Admission::GroupMember);
    EXPECT_EQ(admit(rule, peer(1000, 1000, {27, kGroup})), Admission::GroupMember);
    EXPECT_EQ(admit(rule, peer(1000, 1000, {27})), Admission::Refused);
    EXPECT_EQ(admit(rule, peer(kNobody, kNobody)), Admission::Refused);  // a real nobody
}

TEST(PeerPolicy, InAUserNamespaceTheOverflowUidWasAdmittedByTheFile) {
    // PrivateUsers=yes: a group member outside reads as the overflow uid.
    const AccessRule rule{kDaemon, kGroup, true, kNobody};
    EXPECT_EQ(admit(rule, peer(kNobody, kNobody)), Admission::HiddenByUserNamespace);
    EXPECT_EQ(admit(rule, peer(1000, 1000)), Admission::Refused);
}

TEST(PeerPolicy, CredentialsOfASocketPair) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    const auto identity = peerIdentity(fds[0]);
    ASSERT_TRUE(identity);
    EXPECT_EQ(identity->uid, ::geteuid());
    EXPECT_EQ(identity->pid, ::getpid());
    EXPECT_EQ(admit(currentAccessRule(::getegid()), *identity),
              ::geteuid() == 0 ? Admission::Root : Admission::DaemonUser);
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(SocketPath, SystemdThenXdgThenTmp) {
    EXPECT_EQ(defaultSocketPath("/run/chatd", "/run/user/1000", 8080), "/run/chatd/control.sock");
    EXPECT_EQ(defaultSocketPath("/run/chatd:/run/other", "", 8080), "/run/chatd/control.sock");
    EXPECT_EQ(defaultSocketPath("", "/run/user/1000", 8080), "/run/user/1000/chatd-8080.control.sock");
    EXPECT_EQ(defaultSocketPath("", "", 8081), "/tmp/chatd-8081.control.sock");
}

}  // namespace
}  // namespace chatd::control
