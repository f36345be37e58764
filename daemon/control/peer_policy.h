// Who may talk to the control socket. The kernel admits a connect() by the
// socket file's owner (the daemon's user), group (control.group) and mode
// (0660): that is the permission. On each accepted connection the daemon
// also reads the peer's credentials (SO_PEERCRED, SO_PEERGROUPS) to log who
// it serves and to refuse a peer the file's mode would not have admitted
// (the file's mode or group loosened by hand).
//
// Under systemd's PrivateUsers=yes the daemon runs in a user namespace where
// every uid and gid but root and its own reads as the overflow id: a group
// member then shows as "nobody", and only the file's group could have
// admitted it. A peer with the overflow uid is therefore served when the
// daemon runs in such a namespace (and refused outside one).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace chatd::control {

struct PeerIdentity {
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // supplementary groups, as this namespace sees them
    std::string describe() const;  // "uid 0 gid 0 pid 42"
};

// The credentials of the peer of a connected Unix socket; nullopt when the
// kernel does not tell.
std::optional<PeerIdentity> peerIdentity(int fd);

struct AccessRule {
    uid_t daemon_uid = 0;
    gid_t group = 0;                 // the socket file's group
    bool in_user_namespace = false;  // ids outside it read as overflow_uid
    uid_t overflow_uid = 65534;
};

enum class Admission { Root, DaemonUser, GroupMember, HiddenByUserNamespace, Refused };

// This process's rule for a socket whose file has group `group`.
AccessRule currentAccessRule(gid_t group);
Admission admit(const AccessRule& rule, const PeerIdentity& peer);
const char* describe(Admission admission);

}  // namespace chatd::control
