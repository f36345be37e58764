// logging: writes a transcript of every chat message (time, room, nick,
// session, text, final verdict) as JSON lines to a file. A reload reopens the
// file (logrotate: rename, then `systemctl reload chatd`). Writes happen on a
// thread of its own behind a bounded queue; when the disk is too slow and the
// queue is full, transcript lines are dropped and counted, never the chat.
// Configuration: README.md.
//
// Build: part of chatd's build (`ninja -C build logging` -> build/plugins/logging.so).
// Enable it in /etc/chatd.yaml, then reload (systemctl reload chatd):
//
//     plugins:
//       - name: logging
//         config:
//           file: /var/log/chatd/transcript.jsonl
#include "logging_plugin.h"

#include <cstdlib>
#include <filesystem>

#include <chatd/config.hpp>

namespace chatd::plugins::logging {

namespace cfg = sdk::config;

namespace {
// A relative `file` lives in the daemon's state directory: $STATE_DIRECTORY
// (systemd's StateDirectory=, /var/lib/chatd for the packaged unit), else the
// working directory.
std::string resolveTranscriptPath(const std::string& file) {
    const char* state_dir = std::getenv("STATE_DIRECTORY");
    if (std::filesystem::path(file).is_absolute() || state_dir == nullptr || *state_dir == '\0') return file;
    std::string_view first(state_dir);  // systemd may list several, separated by ':'
    first = first.substr(0, first.find(':'));
    return (std::filesystem::path(first) / file).string();
}
}  // namespace

void LoggingPlugin::init(const YAML::Node& config) {
    cfg::checkKeys(config, {"file", "queue_lines"});
    path_ = resolveTranscriptPath(cfg::require<std::string>(config, "file"));
    const long long queue = cfg::get<long long>(config, "queue_lines", 10'000);
    if (queue < 1 || queue > 10'000'000) throw std::runtime_error("key 'queue_lines': must be from 1 to 10000000");
    writer_ = std::make_unique<TranscriptWriter>(path_, static_cast<std::size_t>(queue),
                                                 [this](const std::string& error) { host().error(error); });
}

void LoggingPlugin::onVerdict(const sdk::Message& msg, const sdk::Verdict& verdict, std::string_view decided_by) {
    const std::string_view kind = verdict.kind == sdk::VerdictKind::Drop     ? "drop"
                                  : verdict.kind == sdk::VerdictKind::Reject ? "reject"
                                                                             : "continue";
    TranscriptEntry entry{time_(std::chrono::system_clock::now()),
                          msg.room(),
                          msg.nick(),
                          msg.session(),
                          msg.text(),
                          kind,
                          decided_by,
                          verdict.code,
                          verdict.reason};
    formatLine(entry, line_);
    if (writer_->push(line_)) return;

    const auto now = std::chrono::steady_clock::now();
    if (last_drop_warning_ == std::chrono::steady_clock::time_point{} ||
        now - last_drop_warning_ >= std::chrono::seconds(10)) {
        last_drop_warning_ = now;
        host().warn("transcript queue full (disk too slow?): " + std::to_string(writer_->dropped()) +
                    " line(s) dropped so far");
    }
}

void LoggingPlugin::shutdown() {
    if (!writer_) return;
    writer_->flush();
    const std::uint64_t written = writer_->written(), dropped = writer_->dropped();
    writer_.reset();
    host().info("transcript " + path_ + " closed: " + std::to_string(written) + " line(s) written, " +
                std::to_string(dropped) + " dropped");
}

}  // namespace chatd::plugins::logging

CHATD_PLUGIN(chatd::plugins::logging::LoggingPlugin, "logging");
