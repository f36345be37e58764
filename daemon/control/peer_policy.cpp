#include "control/peer_policy.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

namespace chatd::control {

namespace {

// True unless /proc/self/uid_map is the initial namespace's identity map.
bool inUserNamespace() {
    std::ifstream map("/proc/self/uid_map");
    unsigned long long inside = 0, outside = 0, count = 0;
    if (!(map >> inside >> outside >> count)) return false;
    unsigned long long more = 0;
    const bool single_line = !(map >> more);
    return !(single_line && inside == 0 && outside == 0 && count == 4294967295ULL);
}

uid_t overflowUid() {
    std::ifstream file("/proc/sys/kernel/overflowuid");
    unsigned long value = 65534;
    file >> value;
    return static_cast<uid_t>(value);
}

}  // namespace

std::string PeerIdentity::describe() const {
    return "uid " + std::to_string(uid) + " gid " + std::to_string(gid) + " pid " + std::to_string(pid);
}

std::optional<PeerIdentity> peerIdentity(int fd) {
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return std::nullopt;
    PeerIdentity peer{credentials.pid, credentials.uid, credentials.gid, {}};
    std::vector<gid_t> groups(64);
    for (int attempt = 0; attempt < 2; ++attempt) {
        socklen_t bytes = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
        if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &bytes) == 0) {
            groups.resize(bytes / sizeof(gid_t));
            peer.groups = std::move(groups);
            break;
        }
        if (errno != ERANGE) break;  // an old kernel: the primary group alone
        groups.resize(bytes / sizeof(gid_t) + 1);
    }
    return peer;
}

AccessRule currentAccessRule(gid_t group) {
    return AccessRule{::geteuid(), group, inUserNamespace(), overflowUid()};
}

Admission admit(const AccessRule& rule, const PeerIdentity& peer) {
    if (peer.uid == 0) return Admission::Root;
    if (peer.uid == rule.daemon_uid) return Admission::DaemonUser;
    if (peer.gid == rule.group || std::find(peer.groups.begin(), peer.groups.end(), rule.group) != peer.groups.end())
        return Admission::GroupMember;
    if (rule.in_user_namespace && peer.uid == rule.overflow_uid) return Admission::HiddenByUserNamespace;
    return Admission::Refused;
}

const char* describe(Admission admission) {
    switch (admission) {
        case Admission::Root: return "root";
        case Admission::DaemonUser: return "the daemon's user";
        case Admission::GroupMember: return "a member of the socket's group";
        case Admission::HiddenByUserNamespace:
            return "admitted by the socket file's group (its ids are hidden by the user namespace)";
        case Admission::Refused: return "refused";
    }
    return "refused";
}

}  // namespace chatd::control
