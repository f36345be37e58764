// Content-Type for a static file, chosen by its file name extension.
#pragma once

#include <string_view>

namespace chatd::http {

// Media type for `path` by its extension (case-insensitive); text types carry
// "; charset=utf-8"; unknown or missing extension -> application/octet-stream.
std::string_view contentTypeFor(std::string_view path);

}  // namespace chatd::http
