// AddressLimiter: per-client-address limits checked before a WebSocket
// upgrade — how many connections one address may hold open, and how many new
// ones it may open per second (a token bucket per address). Thread-safe
// (HTTP threads admit, IO loops release); memory is bounded: at most
// `max_tracked` addresses are remembered and idle ones are forgotten first.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "limits/token_bucket.h"

namespace chatd::limits {

struct AddressLimits {
    std::size_t max_connections_per_address = 256;  // 0 = unlimited
    double new_connections_per_second = 20;         // token refill rate; 0 = unlimited
    double new_connections_burst = 40;              // bucket size (at least 1)
};

enum class Admission {
    Admitted,
    TooManyConnections,  // the address already holds max_connections_per_address
    TooFast,             // the address's bucket is empty
    TableFull,           // every remembered address holds connections: no room to track a new one
};

class AddressLimiter;

// One admitted connection of one address; gives the count back when it dies.
class AddressSlot {
public:
    AddressSlot() = default;
    AddressSlot(AddressSlot&&) noexcept = default;
    AddressSlot& operator=(AddressSlot&& other) noexcept;
    ~AddressSlot();
    explicit operator bool() const { return owner_ != nullptr; }
    const std::string& key() const { return key_; }

private:
    friend class AddressLimiter;
    AddressSlot(std::shared_ptr<AddressLimiter> owner, std::string key)
        : owner_(std::move(owner)), key_(std::move(key)) {}
    void release();

    std::shared_ptr<AddressLimiter> owner_;
    std::string key_;
};

class AddressLimiter : public std::enable_shared_from_this<AddressLimiter> {
public:
    using Clock = TokenBucket::Clock;

    struct Result {
        Admission verdict = Admission::Admitted;
        AddressSlot slot;                          // set when admitted (empty when both limits are off)
        std::size_t open = 0;                      // the address's open connections (after admission)
        std::chrono::milliseconds retry_after{0};  // TooFast: when the next token is due
    };

    // `max_tracked`: the most addresses remembered at once (spread over shards).
    static std::shared_ptr<AddressLimiter> create(std::size_t max_tracked = 65'536);

    // Checks `key` (see addressKey()) against `limits` and counts the connection if admitted.
    Result admit(const std::string& key, const AddressLimits& limits, Clock::time_point now = Clock::now());

    std::size_t openConnections(const std::string& key) const;
    std::size_t trackedAddresses() const;
    // Which of the 16 shards `key` lives in (its own table of max_tracked/16
    // addresses): random per limiter, see shardIndex() in the .cpp.
    std::size_t shardIndex(const std::string& key) const;
    // Addresses forgotten while their bucket was not yet full (table pressure).
    std::uint64_t earlyEvictions() const { return early_evictions_.load(std::memory_order_relaxed); }

    // Use create(); public for std::make_shared.
    explicit AddressLimiter(std::size_t max_tracked);

private:
    friend class AddressSlot;
    static constexpr std::size_t kShards = 16;

    struct Entry {
        std::size_t open = 0;
        TokenBucket bucket;
        Clock::time_point last_seen;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Entry> entries;
        AddressLimits limits;  // as of the last admission (release decides idleness with it)
    };

    Shard& shardOf(const std::string& key);
    const Shard& shardOf(const std::string& key) const;
    bool makeRoom(Shard& shard, Clock::time_point now);
    void release(const std::string& key);

    std::size_t per_shard_capacity_;
    std::uint64_t shard_seed_;
    std::array<Shard, kShards> shards_;
    std::atomic<std::uint64_t> early_evictions_{0};
};

}  // namespace chatd::limits
