// The `control:` section: the operator's control socket. Every key needs a
// restart (the socket is bound once, at start).
#include <array>

#include "config/settings_reader.h"

namespace chatd::config {

namespace {
constexpr std::array<std::string_view, 2> kBooleans{"true", "false"};
constexpr std::size_t kMaxSocketPath = 100;  // sun_path holds 108 bytes; room for the temporary name's suffix
}  // namespace

void readControl(const Field& field, ControlConfig& control, ValueReader& read) {
    const KeyHandler keys[] = {
        {"enabled",
         [&](const Field& f) {
             if (auto value = read.choice(f, kBooleans)) control.enabled = *value == "true";
         }},
        {"socket",
         [&](const Field& f) {
             auto path = read.string(f);
             if (!path) return;
             if (path->front() != '/' || path->size() > kMaxSocketPath)
                 return read.error(f, "an absolute path of at most " + std::to_string(kMaxSocketPath) +
                                          " bytes, got '" + *path + "'");
             control.socket = *path;
         }},
        {"group",
         [&](const Field& f) {
             if (auto group = read.string(f)) control.group = *group;
         }},
    };
    read.mapping(field, keys);
}

}  // namespace chatd::config
