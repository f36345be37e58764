#include "net/connection_slots.h"

namespace chatd::net {

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
    if (this != &other) {
        if (owner_) owner_->in_use_.fetch_sub(1, std::memory_order_relaxed);
        owner_ = std::move(other.owner_);
        companions_ = std::move(other.companions_);
    }
    return *this;
}

ConnectionSlot::~ConnectionSlot() {
    if (owner_) owner_->in_use_.fetch_sub(1, std::memory_order_relaxed);
}

bool ConnectionSlots::tryAcquire(std::size_t limit, ConnectionSlot& slot) {
    std::size_t current = in_use_.load(std::memory_order_relaxed);
    do {
        if (current >= limit) return false;
    } while (!in_use_.compare_exchange_weak(current, current + 1, std::memory_order_relaxed));
    slot = ConnectionSlot(shared_from_this());
    return true;
}

}  // namespace chatd::net
