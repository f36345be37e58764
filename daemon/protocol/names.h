// chatd.v1 name rules: which nicks and room names are valid, and the folded
// form under which nicks are compared (uniqueness is case-insensitive).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatd::protocol {

inline constexpr std::size_t kMaxNickLength = 32;
inline constexpr std::size_t kMaxRoomLength = 64;

// 1-32 characters, each an ASCII letter, digit, '_', '-' or '.'.
bool isValidNick(std::string_view nick);

// 1-64 characters, each an ASCII letter, digit, '_', '-', '.' or '#'.
bool isValidRoom(std::string_view room);

// ASCII lower-case copy; other bytes unchanged. Two nicks clash when their
// folded forms are equal.
std::string foldName(std::string_view name);

}  // namespace chatd::protocol
