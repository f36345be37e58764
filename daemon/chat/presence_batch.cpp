#include "chat/presence_batch.h"

#include <unordered_set>

#include "protocol/names.h"

namespace chatd::chat {

void PresenceBatch::mark(std::string_view nick, bool present) { present_[protocol::foldName(nick)] = present; }

void PresenceBatch::joined(std::string_view nick, std::size_t count) {
    ++events_;
    count_ = count;
    joined_as_[protocol::foldName(nick)].push_back(joined_.size());
    joined_.emplace_back(nick);
    mark(nick, true);
}

void PresenceBatch::left(std::string_view nick, std::size_t count) {
    ++events_;
    count_ = count;
    left_.emplace_back(nick);
    mark(nick, false);
}

void PresenceBatch::renamed(std::string_view old_nick, std::string_view nick, std::size_t count) {
    ++events_;
    count_ = count;
    renamed_.push_back(protocol::NickChange{std::string(old_nick), std::string(nick)});
    // A joiner of this interval renamed itself: it is listed as joined under its new nick.
    if (auto node = joined_as_.extract(protocol::foldName(old_nick)); !node.empty()) {
        for (const std::size_t index : node.mapped()) joined_[index] = std::string(nick);
        auto& under_new = joined_as_[protocol::foldName(nick)];
        under_new.insert(under_new.end(), node.mapped().begin(), node.mapped().end());
    }
    mark(old_nick, false);
    mark(nick, true);
}

namespace {
// Keeps the first of each nick (case-insensitively) that `keep` accepts; counts them all, lists kMaxListed.
template <typename Keep>
std::size_t listOnce(const std::vector<std::string>& nicks, std::vector<std::string>& out, Keep keep) {
    std::unordered_set<std::string> seen;
    std::size_t total = 0;
    for (const std::string& nick : nicks) {
        std::string folded = protocol::foldName(nick);
        if (!keep(folded) || !seen.insert(std::move(folded)).second) continue;
        if (++total <= PresenceBatch::kMaxListed) out.push_back(nick);
    }
    return total;
}
}  // namespace

PresenceBatch::Summary PresenceBatch::take() {
    Summary summary;
    summary.count = count_;
    summary.joined_count = listOnce(joined_, summary.joined, [](const std::string&) { return true; });
    // A nick that is back at the flush is not listed as left: the client keeps it.
    summary.left_count = listOnce(left_, summary.left, [this](const std::string& folded) {
        const auto it = present_.find(folded);
        return it != present_.end() && !it->second;
    });
    const std::size_t renames = std::min(renamed_.size(), kMaxListed);
    summary.renamed.assign(std::make_move_iterator(renamed_.begin()),
                           std::make_move_iterator(renamed_.begin() + static_cast<std::ptrdiff_t>(renames)));
    *this = PresenceBatch{};
    return summary;
}

}  // namespace chatd::chat
