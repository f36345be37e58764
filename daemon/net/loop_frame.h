// LoopFrame: a SharedFrame as one IO loop holds it in its connections'
// outbound queues. A broadcast queues one frame on every member's connection;
// copying a std::shared_ptr for each costs a locked increment there and a
// locked decrement when the frame is written, which perf put at a tenth of the
// server's CPU at saturation (2026-12-07). A LoopFrame counts its holders with
// a plain integer instead: the shared_ptr is copied once per loop, not once
// per connection. It must never leave the loop thread that made it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "net/shared_frame.h"

namespace chatd::net {

class LoopFrame {
public:
    LoopFrame() = default;
    // Takes the frame (implicit: any SharedFrame can be queued as it is).
    LoopFrame(SharedFrame frame) {  // NOLINT(google-explicit-constructor)
        if (frame) holder_ = std::make_unique<Holder>(Holder{std::move(frame), 1}).release();
    }
    LoopFrame(const LoopFrame& other) noexcept : holder_(other.holder_) {
        if (holder_) ++holder_->holders;
    }
    LoopFrame(LoopFrame&& other) noexcept : holder_(std::exchange(other.holder_, nullptr)) {}
    LoopFrame& operator=(LoopFrame other) noexcept {
        std::swap(holder_, other.holder_);
        return *this;
    }
    ~LoopFrame() { reset(); }

    void reset() noexcept {
        if (holder_ && --holder_->holders == 0) {
            std::unique_ptr<Holder> last(holder_);  // the last holder frees it
        }
        holder_ = nullptr;
    }
    explicit operator bool() const { return holder_ != nullptr; }
    const std::string& operator*() const { return *holder_->frame; }
    const std::string* operator->() const { return holder_->frame.get(); }

private:
    struct Holder {
        SharedFrame frame;
        std::size_t holders;
    };
    Holder* holder_ = nullptr;  // owned jointly by every LoopFrame that points at it
};

}  // namespace chatd::net
