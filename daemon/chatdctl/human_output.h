// chatdctl's tables: the result of a command as a person reads it.
#pragma once

#include <string>

#include "json/json_value.h"

namespace chatd::ctl {

// The text for `command`'s successful `result` (ends in '\n').
std::string formatResult(const std::string& command, const json::Value& result);

}  // namespace chatd::ctl
