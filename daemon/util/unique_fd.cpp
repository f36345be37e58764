#include "util/unique_fd.h"

#include <unistd.h>

namespace chatd::util {

void UniqueFd::reset(int fd) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

}  // namespace chatd::util
