#include "control/control_socket.h"

#include <grp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

namespace chatd::control {

namespace {

constexpr mode_t kSocketMode = 0660;

[[noreturn]] void fail(const std::string& what, int error) {
    throw std::runtime_error("control socket " + what + ": " + std::strerror(error));
}

sockaddr_un addressOf(const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(address.sun_path))
        throw std::runtime_error("control socket path '" + path + "' must have 1 to " +
                                 std::to_string(sizeof(address.sun_path) - 1) + " bytes");
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return address;
}

// Refuses to go on when `path` is something other than a stale socket:
// another file, or a socket a live process accepts on.
void checkExisting(const std::string& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) return;
        fail(path, errno);
    }
    if (!S_ISSOCK(info.st_mode)) throw std::runtime_error("control socket " + path + " exists and is not a socket");
    util::UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!probe) fail("socket()", errno);
    const sockaddr_un address = addressOf(path);
    if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0)
        throw std::runtime_error("control socket " + path +
                                 " is served by another process (another chatd instance?); set control.socket");
    if (errno != ECONNREFUSED) fail(path + " exists and cannot be probed", errno);
    spdlog::info("control socket {}: replacing a stale socket (no process accepts on it)", path);
}

// The gid of `group`, or nullopt (logged) when it does not exist.
std::optional<gid_t> groupId(const std::string& group) {
    std::vector<char> buffer(16384);
    struct group entry {};
    struct group* found = nullptr;
    const int error = ::getgrnam_r(group.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (error == 0 && found) return found->gr_gid;
    spdlog::info("control.group '{}' does not exist: the control socket keeps the daemon's group (gid {})", group,
                 ::getegid());
    return std::nullopt;
}

}  // namespace

ControlSocket::ControlSocket(std::string path, const std::string& group) : path_(std::move(path)) {
    (void)addressOf(path_);  // the length check, before anything is created
    const std::string temporary = path_ + "." + std::to_string(::getpid()) + ".new";
    const sockaddr_un address = addressOf(temporary);
    checkExisting(path_);
    fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd_) fail("socket()", errno);
    ::unlink(temporary.c_str());  // left by a crash of this pid's predecessor
    if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0)
        fail("bind " + temporary, errno);
    const auto unlinkTemporary = [&] { ::unlink(temporary.c_str()); };
    group_ = ::getegid();
    if (::chmod(temporary.c_str(), kSocketMode) != 0) {
        const int error = errno;
        unlinkTemporary();
        fail("chmod " + temporary, error);
    }
    if (const auto gid = groupId(group); gid && *gid != group_) {
        if (::chown(temporary.c_str(), static_cast<uid_t>(-1), *gid) == 0)
            group_ = *gid;
        else
            spdlog::warn("control socket: cannot give it group '{}' ({}): it keeps the daemon's group (gid {})",
                         group, std::strerror(errno), group_);
    }
    if (::listen(fd_.get(), 16) != 0 || ::rename(temporary.c_str(), path_.c_str()) != 0) {
        const int error = errno;
        unlinkTemporary();
        fail("listen/rename to " + path_, error);
    }
    struct stat info {};
    if (::lstat(path_.c_str(), &info) == 0) {
        device_ = info.st_dev;
        inode_ = info.st_ino;
    }
}

ControlSocket::~ControlSocket() {
    struct stat info {};
    if (::lstat(path_.c_str(), &info) == 0 && info.st_dev == device_ && info.st_ino == inode_)
        ::unlink(path_.c_str());
}

}  // namespace chatd::control
