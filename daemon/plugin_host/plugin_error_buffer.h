// The host-owned buffer a plugin writes its error message into (chatd_error_buf).
#pragma once

#include <algorithm>
#include <string_view>

#include "chatd/plugin_abi.h"

namespace chatd::plugin_host {

struct ErrorBuffer {
    char data[1024];
    chatd_error_buf buf{data, sizeof data, 0};
    std::string_view text() const {
        std::string_view t(data, std::min(buf.size, sizeof data));
        return t.empty() ? std::string_view("(no reason given)") : t;
    }
};

}  // namespace chatd::plugin_host
