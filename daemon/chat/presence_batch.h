// PresenceBatch: the joins, leaves and renames one big room collects during
// one chat.presence_interval, summed up as one `presence` `batch`
// (docs/protocol.md). A client applies a batch in the order renamed (in
// order), then joined, then left; the summary is built so that this order
// leaves every client with the room's nicks as they are at the flush, also a
// client that joined during the interval (its welcome saw some of it):
//   - a member who joins and leaves within one interval is listed in both
//     `joined` and `left`;
//   - a nick that left and is back at the flush (the same member or another)
//     is listed under `joined` only;
//   - a joiner who renamed itself afterwards is listed under its last nick
//     (its renames are listed too);
//   - each nick is listed at most once under `joined` and once under `left`.
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
    std::vector<std::string> joined_;                                      // each joiner under its nick now
    std::unordered_map<std::string, std::vector<std::size_t>> joined_as_;  // folded nick now -> joined_ indices
    std::vector<std::string> left_;
    std::vector<protocol::NickChange> renamed_;
    std::unordered_map<std::string, bool> present_;  // folded nick -> present after its last event
};

}  // namespace chatd::chat
