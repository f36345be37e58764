// MessageBook: per generator thread, how many of its clients received each
// benchmark message and when the last of them did. Books of all threads are
// merged after the run to tell which messages reached every client and the
// broadcast-complete latency (intended send time -> last client got it).
#pragma once

#include <cstdint>
#include <vector>

#include "histogram.h"
#include "stamp.h"

namespace chatd::bench {

class MessageBook {
public:
    explicit MessageBook(unsigned senders) : entries_(senders) {}

    // Notes that one client received the message `stamp` at `now_ns`.
    // Returns false (and records nothing) for a sender out of range.
    bool record(const Stamp& stamp, std::int64_t now_ns);
    void merge(const MessageBook& other);

    struct Completion {
        std::uint64_t messages = 0;          // distinct messages seen
        std::uint64_t complete = 0;          // received by `clients` clients
        Histogram complete_latency;          // of the complete ones, in ns
    };
    Completion completion(std::uint64_t clients) const;

private:
    struct Entry {
        std::uint32_t count = 0;
        std::int64_t intended_ns = 0;
        std::int64_t last_ns = 0;
    };
    std::vector<std::vector<Entry>> entries_;  // [sender][seq]
};

}  // namespace chatd::bench
