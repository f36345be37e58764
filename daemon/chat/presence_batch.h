// PresenceBatch: the joins, leaves and renames one big room collects during
// one chat.presence_interval, summed up as one `presence` `batch`
// (docs/protocol.md). A client applies a batch in the order joined, then
// renamed (in order), then left; the summary is built so that this order
// leaves every client with the room's nicks as they are at the flush:
//   - a member who joins and leaves within one interval is listed in both
//     `joined` and `left` (a client that joined meanwhile and saw it in its
//     welcome drops it again; the others add and drop it);
//   - a nick that left and is back at the flush (the same member or another)
//     is listed under `joined` only;
//   - each nick is listed at most once under `joined` and once under `left`;
//   - renames are kept in order; a joiner's later rename follows its join.
// Lists stop at 50 entries; `joined_count`/`left_count` count what they would
// hold without that cap. Leave reasons are not carried (per-event mode only).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/events.h"
#include "util/clock.h"

namespace chatd::chat {

class PresenceBatch {
public:
    static constexpr std::size_t kMaxListed = 50;

    // What one batch tells (the lists capped at kMaxListed).
    struct Summary {
        std::vector<std::string> joined;
        std::vector<std::string> left;
        std::vector<protocol::NickChange> renamed;
        std::size_t joined_count = 0;
        std::size_t left_count = 0;
        std::size_t count = 0;  // the room's member count with the last event
    };

    bool empty() const { return events_ == 0; }
    // When it is to be sent (set when its first event came).
    util::SteadyTime due() const { return due_; }
    void setDue(util::SteadyTime due) { due_ = due; }

    // Each takes the room's member count after the event.
    void joined(std::string_view nick, std::size_t count);
    void left(std::string_view nick, std::size_t count);
    void renamed(std::string_view old_nick, std::string_view nick, std::size_t count);

    // The summary of what was collected; the batch is empty afterwards.
    Summary take();

private:
    void mark(std::string_view nick, bool present);

    std::size_t events_ = 0;
    std::size_t count_ = 0;
    util::SteadyTime due_{};
    std::vector<std::string> joined_;
    std::vector<std::string> left_;
    std::vector<protocol::NickChange> renamed_;
    std::unordered_map<std::string, bool> present_;  // folded nick -> present after its last event
};

}  // namespace chatd::chat
