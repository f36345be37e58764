// chatd.v1 name rules (see names.h).
#include "protocol/names.h"

namespace chatd::protocol {
namespace {

bool isNickChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

bool isRoomChar(char c) { return isNickChar(c) || c == '#'; }

template <typename CharRule>
bool isValidName(std::string_view name, std::size_t max_length, CharRule allowed) {
    if (name.empty() || name.size() > max_length) return false;
    for (char c : name) {
        if (!allowed(c)) return false;
    }
    return true;
}

}  // namespace

bool isValidNick(std::string_view nick) { return isValidName(nick, kMaxNickLength, isNickChar); }

bool isValidRoom(std::string_view room) { return isValidName(room, kMaxRoomLength, isRoomChar); }

std::string foldName(std::string_view name) {
    std::string folded(name);
    for (char& c : folded) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return folded;
}

}  // namespace chatd::protocol
