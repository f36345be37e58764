#include "chat/welcome_frame.h"

#include <algorithm>

#include "protocol/event_encoder.h"
#include "protocol/names.h"
#include "ws/opcode.h"

namespace chatd::chat {

namespace {
// The field names, punctuation, seq, booleans and max_text_bytes of a welcome.
constexpr std::size_t kWelcomeEnvelopeBytes = 256;
}  // namespace

std::size_t welcomeHistoryBudget(const protocol::Welcome& welcome, std::size_t send_queue_bytes) {
    // Nicks, rooms, epochs and session ids are plain ASCII: no escaping.
    std::size_t fixed = kWelcomeEnvelopeBytes + welcome.session.size() + welcome.nick.size() +
                        welcome.room.size() + welcome.epoch.size();
    for (const std::string& user : welcome.users) fixed += user.size() + 3;  // quotes and comma
    return messageBudget(fixed, send_queue_bytes);
}

std::vector<std::string> welcomeUsers(std::span<const std::string> all, std::string_view own, std::size_t limit) {
    std::vector<std::string> result;
    if (limit == 0) return result;
    const std::string own_folded = protocol::foldName(own);
    std::vector<std::pair<std::string, const std::string*>> others;  // folded, nick
    others.reserve(all.size());
    for (const std::string& nick : all)
        if (std::string folded = protocol::foldName(nick); folded != own_folded) others.emplace_back(std::move(folded), &nick);
    const std::size_t take = std::min(others.size(), limit - 1);
    std::partial_sort(others.begin(), others.begin() + static_cast<std::ptrdiff_t>(take), others.end());
    result.reserve(take + 1);
    result.emplace_back(own);
    for (std::size_t i = 0; i < take; ++i) result.push_back(*others[i].second);
    return result;
}

std::size_t messageBudget(std::size_t fixed_bytes, std::size_t send_queue_bytes) {
    const std::size_t limit = send_queue_bytes / kWelcomeQueueShareDivisor;
    return fixed_bytes >= limit ? 0 : limit - fixed_bytes;
}

// Walks back from the newest message while the next older one still fits.
std::size_t firstThatFits(std::span<const std::string_view> messages_json, std::size_t budget) {
    std::size_t used = 0;
    std::size_t first = messages_json.size();
    while (first > 0 && used + messages_json[first - 1].size() + 1 <= budget) {
        used += messages_json[first - 1].size() + 1;  // and its comma
        --first;
    }
    return first;
}

net::SharedFrame makeWelcomeFrame(protocol::Welcome welcome, std::size_t send_queue_bytes) {
    const std::size_t first = firstThatFits(welcome.history_json, welcomeHistoryBudget(welcome, send_queue_bytes));
    if (first > 0) {
        welcome.history_json = welcome.history_json.subspan(first);
        welcome.recovered = false;
    }
    return net::makeFrame(ws::Opcode::Text, protocol::encodeWelcome(welcome));
}

}  // namespace chatd::chat
