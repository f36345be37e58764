// Where the HS256 secret comes from: inline in the YAML (auth.secret) or,
// better, a file only the daemon can read (auth.secret_file), so the config
// file itself can stay world-readable.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chatd::auth {

struct LoadedSecret {
    std::optional<std::string> secret;  // set on success
    std::string error;                  // why not, when `secret` is empty
    std::string warning;                // loaded, but something to tell the operator
};

// The placeholder etc/chatd.yaml shows (commented out): refused as a secret.
inline constexpr std::string_view kSampleSecret = "change-me-to-at-least-32-random-bytes";
// Fewer distinct byte values than this is no random key ("aaaa...", "abab...").
inline constexpr std::size_t kMinDistinctSecretBytes = 8;

// Exactly one of `inline_secret` and `secret_file` must be non-empty. A file's
// trailing newline ("\n" or "\r\n", as `echo`/editors leave it) is not part of
// the secret. Refuses secrets under 32 bytes, the sample config's placeholder,
// secrets of fewer than 8 distinct bytes, and files over 64 KiB; warns when
// the file is readable by group or others.
LoadedSecret loadSecret(std::string_view inline_secret, const std::string& secret_file);

}  // namespace chatd::auth
