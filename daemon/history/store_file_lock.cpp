#include "history/store_file_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

#include "history/store_error.h"

namespace chatd::history {

util::UniqueFd lockStoreFile(const std::string& path) {
    util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) throw StoreError("history store " + path + ": cannot open the file: " + std::strerror(errno));
    int result;
    do {
        result = ::flock(fd.get(), LOCK_EX | LOCK_NB);
    } while (result != 0 && errno == EINTR);
    if (result != 0) {
        if (errno == EWOULDBLOCK)
            throw StoreError("history store " + path +
                             ": locked by another process (another chatd with the same history.path?)");
        throw StoreError("history store " + path + ": cannot lock the file: " + std::strerror(errno));
    }
    return fd;
}

}  // namespace chatd::history
