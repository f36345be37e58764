// The welcome frame a joiner gets, kept small enough for its send queue.
// A welcome is one frame, and a frame that does not fit in the client's
// queue (limits.send_queue_bytes) closes the client as a slow consumer; a
// hostile history (control characters escape to six bytes each) could make
// every joiner's welcome that big. So the history is cut to the newest
// messages that fit; `users` is capped at chat.welcome_users beforehand
// (welcomeUsers), `count` and `users_complete` saying how many there are.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/shared_frame.h"
#include "protocol/events.h"

namespace chatd::chat {

// The share of limits.send_queue_bytes one welcome may take.
constexpr std::size_t kWelcomeQueueShareDivisor = 2;

// A welcome's `users` from the whole list `all` (a shared room's sync
// point): `own` first, then the others in case-insensitive order, at most
// `limit` in all.
std::vector<std::string> welcomeUsers(std::span<const std::string> all, std::string_view own, std::size_t limit);

// How many bytes of messages a frame (a welcome, a history answer) may carry
// when the whole frame must stay within `send_queue_bytes / 2` and the rest
// of it takes `fixed_bytes`.
std::size_t messageBudget(std::size_t fixed_bytes, std::size_t send_queue_bytes);

// How many bytes of history a welcome with these users may carry when the
// whole welcome must stay within `send_queue_bytes / 2`.
std::size_t welcomeHistoryBudget(const protocol::Welcome& welcome, std::size_t send_queue_bytes);

// The index of the oldest of `messages_json` from which on the newest ones
// fit in `budget` bytes together (with a comma each): messages.size() when
// none does.
std::size_t firstThatFits(std::span<const std::string_view> messages_json, std::size_t budget);

// Encodes `welcome` as a text frame, keeping only the newest history
// messages that fit in welcomeHistoryBudget(); when some had to go, the
// welcome says recovered:false (the client did not get all it asked for).
net::SharedFrame makeWelcomeFrame(protocol::Welcome welcome, std::size_t send_queue_bytes);

}  // namespace chatd::chat
