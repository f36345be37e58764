// Where the HS256 secret comes from: inline in the YAML (auth.secret) or,
// better, a file only the daemon can read (auth.secret_file), so the config
// file itself can stay world-readable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chatd::auth {

struct LoadedSecret {
    std::optional<std::string> secret;  // set on success
    std::string error;                  // why not, when `secret` is empty
    std::string warning;                // loaded, but something to tell the operator
};

// Exactly one of `inline_secret` and `secret_file` must be non-empty. A file's
// trailing newline ("\n" or "\r\n", as `echo`/editors leave it) is not part of
// the secret. Refuses secrets under 32 bytes and files over 64 KiB; warns when
// the file is readable by group or others.
LoadedSecret loadSecret(std::string_view inline_secret, const std::string& secret_file);

}  // namespace chatd::auth
