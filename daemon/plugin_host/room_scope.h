// The rooms a plugin entry's room hooks run for (`rooms:`): exact names and
// `*` globs. An unscoped entry covers every room at the cost of one bool test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chatd::plugin_host {

class RoomScope {
public:
    // Empty `patterns`: every room.
    explicit RoomScope(const std::vector<std::string>& patterns);

    bool covers(std::string_view room) const { return all_ || matches(room); }

private:
    bool matches(std::string_view room) const;

    bool all_;
    std::vector<std::string> exact_;
    std::vector<std::string> globs_;
};

// Whether `text` matches `glob`, where `*` matches any run of characters
// (also none) and every other character itself.
bool globMatch(std::string_view glob, std::string_view text);

}  // namespace chatd::plugin_host
