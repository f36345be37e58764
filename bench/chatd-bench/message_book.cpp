#include "message_book.h"

#include <algorithm>

namespace chatd::bench {

bool MessageBook::record(const Stamp& stamp, std::int64_t now_ns) {
    if (stamp.sender >= entries_.size()) return false;
    auto& of_sender = entries_[stamp.sender];
    if (stamp.seq >= of_sender.size()) of_sender.resize(std::max<std::size_t>(stamp.seq + 1, of_sender.size() * 2));
    Entry& entry = of_sender[stamp.seq];
    ++entry.count;
    entry.intended_ns = stamp.intended_ns;
    entry.last_ns = std::max(entry.last_ns, now_ns);
    return true;
}

void MessageBook::merge(const MessageBook& other) {
    if (other.entries_.size() > entries_.size()) entries_.resize(other.entries_.size());
    for (std::size_t sender = 0; sender < other.entries_.size(); ++sender) {
        auto& mine = entries_[sender];
        const auto& theirs = other.entries_[sender];
        if (theirs.size() > mine.size()) mine.resize(theirs.size());
        for (std::size_t seq = 0; seq < theirs.size(); ++seq) {
            if (theirs[seq].count == 0) continue;
            mine[seq].count += theirs[seq].count;
            mine[seq].intended_ns = theirs[seq].intended_ns;
            mine[seq].last_ns = std::max(mine[seq].last_ns, theirs[seq].last_ns);
        }
    }
}

MessageBook::Completion MessageBook::completion(std::uint64_t clients) const {
    Completion result;
    for (const auto& of_sender : entries_) {
        for (const Entry& entry : of_sender) {
            if (entry.count == 0) continue;
            ++result.messages;
            if (entry.count >= clients) {
                ++result.complete;
                result.complete_latency.record(entry.last_ns - entry.intended_ns);
            }
        }
    }
    return result;
}

}  // namespace chatd::bench
