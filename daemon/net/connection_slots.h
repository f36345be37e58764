// ConnectionSlots: counts open WebSocket connections against
// limits.max_connections. A slot is taken before the 101 is sent and given
// back when the connection object dies (RAII), so the count never drifts.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace chatd::net {

class ConnectionSlots;

class ConnectionSlot {
public:
    ConnectionSlot() = default;
    explicit ConnectionSlot(std::shared_ptr<ConnectionSlots> owner) : owner_(std::move(owner)) {}
    ConnectionSlot(ConnectionSlot&&) noexcept = default;
    ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
    ~ConnectionSlot();

private:
    std::shared_ptr<ConnectionSlots> owner_;
};

class ConnectionSlots : public std::enable_shared_from_this<ConnectionSlots> {
public:
    // Takes a slot if fewer than `limit` are in use; nullopt-like empty slot otherwise.
    bool tryAcquire(std::size_t limit, ConnectionSlot& slot);
    std::size_t inUse() const { return in_use_.load(std::memory_order_relaxed); }

private:
    friend class ConnectionSlot;
    std::atomic<std::size_t> in_use_{0};
};

}  // namespace chatd::net
