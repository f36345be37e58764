// ConnectionSlots: counts open WebSocket connections against
// limits.max_connections. A slot is taken before the 101 is sent and given
// back when the connection object dies (RAII), so the count never drifts.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace chatd::net {

class ConnectionSlots;

class ConnectionSlot {
public:
    ConnectionSlot() = default;
    explicit ConnectionSlot(std::shared_ptr<ConnectionSlots> owner) : owner_(std::move(owner)) {}
    ConnectionSlot(ConnectionSlot&&) noexcept = default;
    ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
    ~ConnectionSlot();

    // Ties another per-connection reservation (the per-address count, the
    // connections gauge) to this slot: released when the slot is.
    void keep(std::shared_ptr<void> companion) { companions_.push_back(std::move(companion)); }

private:
    std::shared_ptr<ConnectionSlots> owner_;
    std::vector<std::shared_ptr<void>> companions_;
};

class ConnectionSlots : public std::enable_shared_from_this<ConnectionSlots> {
public:
    // Takes a slot if fewer than `limit` are in use; nullopt-like empty slot otherwise.
    bool tryAcquire(std::size_t limit, ConnectionSlot& slot);

private:
    friend class ConnectionSlot;
    std::atomic<std::size_t> in_use_{0};
};

}  // namespace chatd::net
