// StoreReader: the synchronous reads of the history store (a room's start,
// a page of older messages), callable from several threads at once. Each
// call borrows a read-only connection of its own from a pool (one is opened
// when none is idle), so readers never wait for each other, and in WAL mode
// never for the writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "history/stored_message.h"

namespace chatd::history {

class StoreReader {
public:
    explicit StoreReader(std::string path);
    ~StoreReader();
    StoreReader(const StoreReader&) = delete;
    StoreReader& operator=(const StoreReader&) = delete;

    // The room's position and its newest `recent` messages of that epoch, oldest
    // first, from one snapshot. Throws StoreError.
    RoomRecord loadRoom(const std::string& room, std::size_t recent);
    // Up to `limit` messages of (room, epoch) with seq < before (the newest
    // when absent), oldest first. Throws StoreError.
    HistoryPage page(const std::string& room, const std::string& epoch, std::optional<std::uint64_t> before,
                     std::size_t limit);

private:
    struct Connection;
    struct Lease;
    Lease borrow();

    const std::string path_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace chatd::history
