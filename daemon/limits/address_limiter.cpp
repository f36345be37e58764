#include "limits/address_limiter.h"

#include <algorithm>
#include <functional>
#include <random>

namespace chatd::limits {

AddressSlot& AddressSlot::operator=(AddressSlot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        key_ = std::move(other.key_);
    }
    return *this;
}

AddressSlot::~AddressSlot() { release(); }

void AddressSlot::release() {
    if (owner_) owner_->release(key_);
    owner_.reset();
}

std::shared_ptr<AddressLimiter> AddressLimiter::create(std::size_t max_tracked) {
    return std::make_shared<AddressLimiter>(max_tracked);
}

namespace {

// 64 random bits from the system's entropy source.
std::uint64_t randomSeed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// splitmix64's finalizer: every input bit moves every output bit.
std::uint64_t mix(std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

}  // namespace

AddressLimiter::AddressLimiter(std::size_t max_tracked)
    : per_shard_capacity_(std::max<std::size_t>(1, max_tracked / kShards)), shard_seed_(randomSeed()) {}

// The address hash mixed with this limiter's random seed: which addresses
// share a shard cannot be worked out from outside, so nobody can aim a
// spray of addresses at one shard.
std::size_t AddressLimiter::shardIndex(const std::string& key) const {
    return static_cast<std::size_t>(mix(std::hash<std::string>{}(key) ^ shard_seed_) % kShards);
}

AddressLimiter::Shard& AddressLimiter::shardOf(const std::string& key) { return shards_[shardIndex(key)]; }

const AddressLimiter::Shard& AddressLimiter::shardOf(const std::string& key) const { return shards_[shardIndex(key)]; }

// Frees at least one entry of a full shard: first every idle address whose
// bucket has refilled (forgetting it changes nothing), else the idle address
// seen least recently (its rate state is lost: counted). False: every entry
// holds connections.
bool AddressLimiter::makeRoom(Shard& shard, Clock::time_point now) {
    const AddressLimits& limits = shard.limits;
    const std::size_t before = shard.entries.size();
    std::erase_if(shard.entries, [&](const auto& item) {
        const Entry& entry = item.second;
        return entry.open == 0 &&
               (limits.new_connections_per_second <= 0 ||
                entry.bucket.isFull(limits.new_connections_per_second, limits.new_connections_burst, now));
    });
    if (shard.entries.size() < before) return true;
    auto oldest = shard.entries.end();
    for (auto it = shard.entries.begin(); it != shard.entries.end(); ++it) {
        if (it->second.open == 0 && (oldest == shard.entries.end() || it->second.last_seen < oldest->second.last_seen))
            oldest = it;
    }
    if (oldest == shard.entries.end()) return false;
    shard.entries.erase(oldest);
    early_evictions_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

AddressLimiter::Result AddressLimiter::admit(const std::string& key, const AddressLimits& limits,
                                             Clock::time_point now) {
    const double rate = limits.new_connections_per_second;
    const double burst = std::max(1.0, limits.new_connections_burst);
    Result result;
    if (limits.max_connections_per_address == 0 && rate <= 0) return result;  // both off: nothing to track
    Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    shard.limits = limits;
    shard.limits.new_connections_burst = burst;
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) {
        if (shard.entries.size() >= per_shard_capacity_ && !makeRoom(shard, now)) {
            result.verdict = Admission::TableFull;
            return result;
        }
        it = shard.entries.emplace(key, Entry{0, TokenBucket(burst, now), now}).first;
    }
    Entry& entry = it->second;
    entry.last_seen = now;
    result.open = entry.open;
    if (limits.max_connections_per_address > 0 && entry.open >= limits.max_connections_per_address) {
        result.verdict = Admission::TooManyConnections;
        return result;
    }
    if (rate > 0 && !entry.bucket.tryTake(rate, burst, now)) {
        result.verdict = Admission::TooFast;
        result.retry_after = entry.bucket.timeUntilToken(rate, burst, now);
        return result;
    }
    result.open = ++entry.open;
    result.slot = AddressSlot(shared_from_this(), key);
    return result;
}

void AddressLimiter::release(const std::string& key) {
    Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end() || it->second.open == 0) return;  // cannot happen: slots are counted
    Entry& entry = it->second;
    --entry.open;
    const auto now = Clock::now();
    entry.last_seen = now;
    const AddressLimits& limits = shard.limits;
    if (entry.open == 0 && (limits.new_connections_per_second <= 0 ||
                            entry.bucket.isFull(limits.new_connections_per_second, limits.new_connections_burst, now)))
        shard.entries.erase(it);
}

std::size_t AddressLimiter::openConnections(const std::string& key) const {
    const Shard& shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    return it == shard.entries.end() ? 0 : it->second.open;
}

std::size_t AddressLimiter::trackedAddresses() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        total += shard.entries.size();
    }
    return total;
}

}  // namespace chatd::limits
