// Strict UTF-8 validation for the WebSocket layer: whole buffers and
// streaming (fragmented messages). The validator itself is the plugin SDK's
// (chatd/detail/utf8.hpp), the project's only one: plugins cannot link the
// daemon, so the daemon uses theirs.
#pragma once

#include "chatd/detail/utf8.hpp"

namespace chatd::ws {

using sdk::detail::isValidUtf8;
using Utf8Validator = sdk::detail::Utf8Validator;

}  // namespace chatd::ws
