#include "chat/pending_commands.h"

namespace chatd::chat {

PendingTicket PendingCommands::take() {
    count_.fetch_add(1);
    return PendingTicket(shared_from_this());
}

// The session sets `paused_` before it looks at the count and a release
// looks at `paused_` after it lowered the count (both sequentially
// consistent): whichever comes second sees the other, and the exchange lets
// only one of them act. So a pause is never left without its resume.
bool PendingCommands::pauseUntil(std::size_t resume_at) {
    resume_at_.store(resume_at);
    paused_.store(true);
    return !(count_.load() <= resume_at && paused_.exchange(false));
}

void PendingCommands::release() {
    const std::size_t left = count_.fetch_sub(1) - 1;
    if (left <= resume_at_.load() && paused_.exchange(false) && resume_) resume_();
}

}  // namespace chatd::chat
