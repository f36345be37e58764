// The control socket's file: bound at a temporary name, given mode 0660 and
// its group, listening, then renamed over the final path, so that it is
// never reachable with looser permissions and a stale socket left by a
// crash is replaced in one step. A socket another process still serves is
// left alone (the bind fails).
#pragma once

#include <sys/types.h>

#include <string>

#include "util/unique_fd.h"

namespace chatd::control {

class ControlSocket {
public:
    // Throws std::runtime_error with a one-line reason (path too long, a
    // live socket at `path`, a directory that does not exist, ...). A group
    // that does not exist or cannot be set is logged; the socket then keeps
    // the daemon's own group.
    ControlSocket(std::string path, const std::string& group);
    // Removes the file, unless it is no longer the one bound here.
    ~ControlSocket();
    ControlSocket(const ControlSocket&) = delete;
    ControlSocket& operator=(const ControlSocket&) = delete;

    int fd() const { return fd_.get(); }
    const std::string& path() const { return path_; }
    // The group the file carries: members are served.
    gid_t group() const { return group_; }

private:
    std::string path_;
    util::UniqueFd fd_;
    gid_t group_ = 0;
    dev_t device_ = 0;
    ino_t inode_ = 0;
};

}  // namespace chatd::control
