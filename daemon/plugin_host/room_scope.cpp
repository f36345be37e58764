// Matching room names against an entry's `rooms:` (see room_scope.h).
#include "plugin_host/room_scope.h"

#include <algorithm>

namespace chatd::plugin_host {

RoomScope::RoomScope(const std::vector<std::string>& patterns) : all_(patterns.empty()) {
    for (const std::string& pattern : patterns)
        (pattern.find('*') == std::string::npos ? exact_ : globs_).push_back(pattern);
}

bool RoomScope::matches(std::string_view room) const {
    if (std::find(exact_.begin(), exact_.end(), room) != exact_.end()) return true;
    return std::any_of(globs_.begin(), globs_.end(), [room](const std::string& glob) { return globMatch(glob, room); });
}

// Greedy matching with one backtrack point (the last `*`): linear in practice.
bool globMatch(std::string_view glob, std::string_view text) {
    std::size_t g = 0, t = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = t;
        } else if (g < glob.size() && glob[g] == text[t]) {
            ++g;
            ++t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') ++g;
    return g == glob.size();
}

}  // namespace chatd::plugin_host
