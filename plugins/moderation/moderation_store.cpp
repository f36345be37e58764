// The bans and mutes and their file; see moderation_store.h.
#include "moderation_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <chatd/json.hpp>

#include "json_value.h"

namespace chatd::plugins::moderation {

const char* kindName(Kind kind) { return kind == Kind::Ban ? "ban" : "mute"; }

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::pair<std::string, bool> normaliseTarget(std::string_view text) {
    if (const auto net = parseNetwork(text)) return {net->text(), true};
    return {lowerAscii(text), false};
}

bool Entry::appliesTo(std::string_view nick_lower, const std::optional<Network>& address,
                      std::string_view in_room) const {
    if (!room.empty() && room != in_room) return false;
    if (!network) return !nick_lower.empty() && target == nick_lower;
    if (!address) return false;
    const auto net = parseNetwork(target);
    return net && net->contains(*address);
}

void ModerationStore::put(Entry entry) {
    remove(entry.kind, entry.target, entry.room);
    entries_.push_back(std::move(entry));
}

bool ModerationStore::remove(Kind kind, const std::string& target, const std::string& room) {
    return std::erase_if(entries_, [&](const Entry& e) {
               return e.kind == kind && e.target == target && e.room == room;
           }) > 0;
}

bool Entry::newerThan(const Entry& other) const {
    if (set_ms != other.set_ms) return set_ms > other.set_ms;
    // The same millisecond on two instances: any rule every instance agrees on.
    if (lifted != other.lifted) return lifted;
    return entryJson(*this) > entryJson(other);
}

std::optional<Entry> ModerationStore::lift(Kind kind, const std::string& target, const std::string& room,
                                           const std::string& by, std::int64_t now_ms) {
    for (Entry& e : entries_) {
        if (e.kind != kind || e.target != target || e.room != room || !e.active(now_ms)) continue;
        e.lifted = true;
        e.set_ms = std::max(now_ms, e.set_ms + 1);
        e.by = by;
        e.reason.clear();
        return e;
    }
    return std::nullopt;
}

std::int64_t ModerationStore::actionTime(Kind kind, const std::string& target, const std::string& room,
                                         std::int64_t now_ms) const {
    for (const Entry& e : entries_)
        if (e.kind == kind && e.target == target && e.room == room) return std::max(now_ms, e.set_ms + 1);
    return now_ms;
}

bool ModerationStore::merge(const Entry& entry, std::int64_t now_ms) {
    if (!entry.lifted && !entry.active(now_ms)) return false;  // lapsed on its way
    for (Entry& e : entries_) {
        if (e.kind != entry.kind || e.target != entry.target || e.room != entry.room) continue;
        if (!entry.newerThan(e)) return false;
        e = entry;
        return true;
    }
    entries_.push_back(entry);
    return true;
}

namespace {
// When a tombstone may go: when the lifted entry would have lapsed, at most kTombstoneMs after the lift.
std::int64_t tombstoneEnd(const Entry& e) {
    const std::int64_t bounded = e.set_ms + kTombstoneMs;
    return e.until_ms == 0 ? bounded : std::min(e.until_ms, bounded);
}
}  // namespace

std::vector<Entry> ModerationStore::expire(std::int64_t now_ms) {
    std::vector<Entry> lapsed;
    std::erase_if(entries_, [&](const Entry& e) {
        if (e.lifted) return now_ms >= tombstoneEnd(e);
        if (e.active(now_ms)) return false;
        lapsed.push_back(e);
        return true;
    });
    return lapsed;
}

std::size_t ModerationStore::activeCount(std::int64_t now_ms) const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.active(now_ms); }));
}

std::optional<Entry> ModerationStore::find(Kind kind, std::string_view nick, std::string_view address,
                                           std::string_view room, std::int64_t now_ms) const {
    const std::string nick_lower = lowerAscii(nick);
    const std::optional<Network> addr = address.empty() ? std::nullopt : parseNetwork(address);
    for (const Entry& e : entries_)
        if (e.kind == kind && e.active(now_ms) && e.appliesTo(nick_lower, addr, room)) return e;
    return std::nullopt;
}

std::vector<Entry> ModerationStore::list(Kind kind, std::int64_t now_ms) const {
    std::vector<Entry> out;
    for (const Entry& e : entries_)
        if (e.kind == kind && e.active(now_ms)) out.push_back(e);
    return out;
}

std::string entryJson(const Entry& e) {
    using sdk::json::quote;
    std::string out = "{\"kind\":" + quote(kindName(e.kind)) + ",\"target\":" + quote(e.target) +
                      ",\"network\":" + (e.network ? "true" : "false") + ",\"room\":" + quote(e.room) +
                      ",\"by\":" + quote(e.by) + ",\"reason\":" + quote(e.reason) +
                      ",\"set_ms\":" + std::to_string(e.set_ms) + ",\"set\":" + quote(isoTime(e.set_ms)) +
                      ",\"until_ms\":" + std::to_string(e.until_ms) + ",\"until\":" +
                      (e.until_ms == 0 ? std::string("null") : quote(isoTime(e.until_ms))) +
                      (e.lifted ? ",\"lifted\":true}" : "}");
    return out;
}

std::string ModerationStore::toJson() const {
    std::string out = "{\"version\":1,\"entries\":[";
    for (std::size_t i = 0; i < entries_.size(); ++i) out += (i == 0 ? "" : ",") + entryJson(entries_[i]);
    return out + "]}\n";
}

namespace {
const JsonValue& member(const JsonValue& obj, const char* key, JsonValue::Type type) {
    const JsonValue* v = obj.find(key);
    if (v == nullptr || v->type != type) throw std::invalid_argument(std::string("entry lacks '") + key + "'");
    return *v;
}
}  // namespace

Entry entryFromJson(const JsonValue& item) {
    Entry e;
    const std::string& kind = member(item, "kind", JsonValue::Type::String).string;
    if (kind != "ban" && kind != "mute") throw std::invalid_argument("unknown kind '" + kind + "'");
    e.kind = kind == "ban" ? Kind::Ban : Kind::Mute;
    e.target = member(item, "target", JsonValue::Type::String).string;
    e.network = member(item, "network", JsonValue::Type::Bool).boolean;
    e.room = member(item, "room", JsonValue::Type::String).string;
    e.by = member(item, "by", JsonValue::Type::String).string;
    e.reason = member(item, "reason", JsonValue::Type::String).string;
    e.set_ms = static_cast<std::int64_t>(member(item, "set_ms", JsonValue::Type::Number).number);
    e.until_ms = static_cast<std::int64_t>(member(item, "until_ms", JsonValue::Type::Number).number);
    if (e.network && !parseNetwork(e.target)) throw std::invalid_argument("bad network '" + e.target + "'");
    const JsonValue* lifted = item.find("lifted");
    e.lifted = lifted != nullptr && lifted->type == JsonValue::Type::Bool && lifted->boolean;
    return e;
}

void ModerationStore::loadJson(std::string_view text) {
    const JsonValue doc = parseJson(text);
    const JsonValue& list = member(doc, "entries", JsonValue::Type::Array);
    std::vector<Entry> loaded;
    for (const JsonValue& item : list.array) loaded.push_back(entryFromJson(item));
    entries_ = std::move(loaded);
}

namespace {
[[noreturn]] void failed(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

// Writes all of `text` to `path` (created 0600, truncated) and fsyncs it.
void writeDurably(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) failed("cannot open " + path);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            failed("cannot write " + path);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        failed("cannot sync " + path);
    }
    if (::close(fd) != 0) failed("cannot close " + path);
}

// Makes a rename in `path`'s directory durable.
void syncDirectoryOf(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) failed("cannot open " + dir);
    const int synced = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (synced != 0) failed("cannot sync " + dir);
}
}  // namespace

// temp file, fsync, rename over the old one, fsync of the directory: after
// a crash the file is the old or the new one, whole.
void ModerationStore::save(const std::string& path) const {
    const std::string temp = path + ".tmp";
    writeDurably(temp, toJson());
    if (std::rename(temp.c_str(), path.c_str()) != 0) failed("cannot rename " + temp);
    syncDirectoryOf(path);
}

bool ModerationStore::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        entries_.clear();
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    loadJson(text.str());
    return true;
}

}  // namespace chatd::plugins::moderation
