#include "chat/session.h"

#include <spdlog/spdlog.h>

#include "chat/hub.h"
#include "limits/limit_events.h"
#include "metrics/instruments.h"
#include "net/connection.h"
#include "net/io_loop.h"
#include "protocol/event_encoder.h"
#include "protocol/request_decoder.h"
#include "ws/utf8.h"

namespace chatd::chat {

namespace {
const char* modeName(Mode mode) { return mode == Mode::Json ? "chatd.v1" : "raw"; }
}  // namespace

Session::Session(Hub& hub, std::uint64_t id, Mode mode, std::string locked_nick, ConnectionFacts facts)
    : hub_(hub),
      id_(id),
      mode_(mode),
      nick_(locked_nick),
      locked_nick_(std::move(locked_nick)),
      facts_(std::move(facts)),
      join_nick_bucket_(static_cast<double>(hub.settings()->join_nick_burst), util::steadyNow()),
      message_bucket_(static_cast<double>(hub.settings()->session_message_burst), util::steadyNow()),
      history_bucket_(kHistoryBurst, util::steadyNow()) {}

bool Session::refuseOtherNick(const std::optional<std::string>& nick, const std::optional<std::string>& request_id) {
    if (locked_nick_.empty() || !nick || *nick == locked_nick_) return false;
    sendError("nick_locked", "your nick is '" + locked_nick_ + "', as your token says; it cannot be changed",
              request_id);
    return true;
}

void Session::onOpen(net::Connection& connection) {
    connection_ = &connection;
    // Resumes on the connection's loop (the shard that calls this holds no lock).
    pending_ = std::make_shared<PendingCommands>([&loop = connection.loop(), id = connection.id()] {
        loop.post([&loop, id] {
            if (net::Connection* found = loop.find(id)) found->resumeReading();
        });
    });
    hub_.loopRooms(connection.loop().index()).attach(id_, *this);
    hub_.directory().add(SessionEntry{.id = id_,
                                      .session = std::to_string(id_),
                                      .mode = mode_,
                                      .address = facts_.address.empty() ? connection.peer() : facts_.address,
                                      .connected_ms = util::wallClockMillis(),
                                      .claims_json = std::move(facts_.claims_json),
                                      .room = {},
                                      .nick = nick_});
    spdlog::info("connection {} opened: peer {} mode {}", id_, connection.peer(), modeName(mode_));
    // A raw (tutorial) client is in the default room from the start.
    if (mode_ == Mode::Raw) requestJoin(hub_.settings()->default_room, nick_, std::nullopt, std::nullopt);
}

void Session::onClose(net::Connection& connection, std::uint16_t code, std::string_view reason) {
    spdlog::info("connection {} closed: peer {} mode {} code {} reason '{}'", id_, connection.peer(), modeName(mode_),
                 code, reason);
    LoopRooms& rooms = hub_.loopRooms(connection.loop().index());
    rooms.detach(id_);
    hub_.directory().remove(id_);
    const std::string current = joins_.current();
    if (!current.empty()) rooms.remove(current, connection);
    // A join still pending is undone by the hub when its answer finds no session.
    // Closed by us with 4003 (a ban: the connection is no longer open when we
    // initiate the close; a client's own 4003 arrives while it is): "banned".
    leaveRooms(joins_.closing(), code == kBannedClose && !connection.isOpen());
}

void Session::onMessage(net::Connection&, bool binary, std::string_view payload) {
    if (mode_ == Mode::Json) {
        if (binary) {
            sendError("bad_request", "chatd.v1 frames are text frames holding one JSON object", std::nullopt);
            return;
        }
        handleJson(payload);
        return;
    }
    // Text frames were checked by the decoder. A binary one that is not UTF-8
    // is a rejected message: raw mode has no error channel, so it is counted,
    // logged (rate-limited) and dropped, and the connection stays (docs/protocol.md, raw mode).
    if (binary && !ws::isValidUtf8(payload)) {
        if (auto* ignored = hub_.metrics().ignored_not_utf8) ignored->inc();
        hub_.clientLog().ignored_raw.log(spdlog::level::info,
                                         "connection {}: raw binary message of {} bytes ignored (not UTF-8)", id_,
                                         payload.size());
        return;
    }
    handleRaw(payload);
}

void Session::handleRaw(std::string_view text) {
    const std::size_t limit = hub_.settings()->max_text_bytes;
    if (text.empty() || text.size() > limit) {
        if (auto* ignored = hub_.metrics().ignored_size) ignored->inc();
        hub_.clientLog().ignored_raw.log(spdlog::level::info, "connection {}: raw message of {} bytes ignored (limit {})",
                                         id_, text.size(), limit);
        return;
    }
    post(std::string(text), std::nullopt);
}

void Session::handleJson(std::string_view payload) {
    auto decoded = protocol::decodeRequest(payload);
    if (auto* error = std::get_if<protocol::RequestError>(&decoded)) {
        sendError(error->code, error->reason, error->id);
        return;
    }
    auto& request = std::get<protocol::DecodedRequest>(decoded);
    if (auto* join = std::get_if<protocol::JoinRequest>(&request.request)) {
        if (refuseOtherNick(join->nick, request.id) || !takeJoinNickToken(request.id)) return;
        const auto settings = hub_.settings();
        requestJoin(join->room.value_or(settings->default_room), join->nick.value_or(nick_), std::move(join->since),
                    std::move(request.id));
    } else if (auto* message = std::get_if<protocol::MessageRequest>(&request.request)) {
        const std::size_t limit = hub_.settings()->max_text_bytes;
        if (message->text.size() > limit) {
            sendError(
                "too_large",
                "text is " + std::to_string(message->text.size()) + " bytes; the limit is " + std::to_string(limit),
                request.id);
            return;
        }
        post(std::move(message->text), std::move(request.id));
    } else if (auto* nick = std::get_if<protocol::NickRequest>(&request.request)) {
        if (refuseOtherNick(nick->nick, request.id) || !takeJoinNickToken(request.id)) return;
        if (targetRoom().empty()) {
            nick_ = nick->nick;  // checked for uniqueness when it joins a room
            return;
        }
        hub_.submit(NickCommand{ref(), targetRoom(), nick->nick, std::move(request.id)});
    } else if (auto* history = std::get_if<protocol::HistoryRequest>(&request.request)) {
        if (!takeHistoryToken(request.id)) return;
        if (targetRoom().empty()) {
            sendError("bad_request", "not in a room: join one first", request.id);
            return;
        }
        hub_.submit(HistoryCommand{ref(), targetRoom(), history->before, history->limit, std::move(request.id)});
    } else if (auto* users = std::get_if<protocol::UsersRequest>(&request.request)) {
        // Same budget as `history`: both page through what the room holds.
        if (!takeHistoryToken(request.id)) return;
        if (targetRoom().empty()) {
            sendError("bad_request", "not in a room: join one first", request.id);
            return;
        }
        hub_.submit(UsersCommand{ref(), targetRoom(), std::move(users->after), users->limit, std::move(request.id)});
    }
}

void Session::requestJoin(const std::string& room, const std::string& nick, std::optional<protocol::Since> since,
                          std::optional<std::string> request_id) {
    kicked_ = false;
    const std::uint64_t serial = joins_.sent(room);
    hub_.submit(JoinCommand{ref(), room, nick, std::move(since), std::move(request_id), serial});
}

bool Session::takeJoinNickToken(const std::optional<std::string>& request_id) {
    const auto settings = hub_.settings();
    if (settings->join_nick_per_second == 0) return true;  // unlimited
    return takeToken(join_nick_bucket_, static_cast<double>(settings->join_nick_per_second),
                     static_cast<double>(settings->join_nick_burst), "join and nick", request_id);
}

bool Session::takeHistoryToken(const std::optional<std::string>& request_id) {
    return takeToken(history_bucket_, kHistoryPerSecond, kHistoryBurst, "history", request_id);
}

bool Session::takeToken(limits::TokenBucket& bucket, double rate, double burst, std::string_view what,
                        const std::optional<std::string>& request_id) {
    const auto now = util::steadyNow();
    if (bucket.tryTake(rate, burst, now)) return true;
    const auto wait = bucket.timeUntilToken(rate, burst, now);
    sendError("rate_limited",
              "too many " + std::string(what) + " requests; the next is allowed in " + std::to_string(wait.count()) +
                  " ms",
              request_id);
    return false;
}

// Posts to the current room, joining the default room first if in none
// (a JSON client that was kicked must join again itself).
void Session::post(std::string text, std::optional<std::string> request_id) {
    if (targetRoom().empty() && kicked_ && mode_ == Mode::Json) {
        sendError("bad_request", "not in a room (you were kicked): join one first", request_id);
        return;
    }
    if (targetRoom().empty()) requestJoin(hub_.settings()->default_room, nick_, std::nullopt, std::nullopt);
    hub_.submit(MessageCommand{ref(), targetRoom(), std::move(text), std::move(request_id), pending_->take()});
    holdBackIfBusy(targetRoom());
    paceMessages();
}

// The message was read already, so it is always handled: pacing only
// decides when the next one is read (the bucket may be in debt after a
// reload lowered the rate). A hold is counted and logged (rate-limited) as
// a hit of session_messages_per_second.
void Session::paceMessages() {
    const auto settings = hub_.settings();
    if (settings->session_messages_per_second == 0) return;  // off
    const auto rate = static_cast<double>(settings->session_messages_per_second);
    const auto burst = static_cast<double>(settings->session_message_burst);
    const auto now = util::steadyNow();
    message_bucket_.take(rate, burst, now);
    const auto wait = message_bucket_.timeUntilToken(rate, burst, now);
    if (wait.count() == 0) return;
    const bool was_held = connection_->readingHeld();
    connection_->holdReadingUntil(now + wait);
    if (was_held) return;
    if (auto* events = hub_.metrics().limit_events) {
        events->hit(limits::Limit::SessionMessageRate,
                    "held reading ws " + std::to_string(id_) + " " + connection_->peer() + " for " +
                        std::to_string(wait.count()) + " ms: it sent more than " +
                        std::to_string(settings->session_messages_per_second) + " messages/s (burst " +
                        std::to_string(settings->session_message_burst) + ")");
    }
}

// Resumes at half the limit (not at limit - 1: a pause per message), and
// after a full mailbox once all of this session's messages ran: the mailbox
// is FIFO, so what was queued before them has run too.
void Session::holdBackIfBusy(const std::string& room) {
    const auto settings = hub_.settings();
    const std::size_t limit = settings->session_pending_commands;
    limits::Limit hit = limits::Limit::SessionPending;
    std::size_t resume_at = limit / 2;
    if (pending_->count() < limit) {
        if (hub_.mailboxBytes(room) <= settings->shard_queue_bytes) return;
        hit = limits::Limit::ShardQueue;
        resume_at = 0;
    }
    if (!pending_->pauseUntil(resume_at)) return;
    connection_->pauseReading();
    if (auto* events = hub_.metrics().limit_events) {
        events->hit(hit, "paused reading ws " + std::to_string(id_) + " " + connection_->peer() + ": " +
                             (hit == limits::Limit::SessionPending
                                  ? std::to_string(limit) + " of its messages wait at their shard"
                                  : "the mailbox of room '" + room + "' is over " +
                                        std::to_string(settings->shard_queue_bytes) + " bytes"));
    }
}

void Session::sendError(std::string_view code, std::string_view reason, const std::optional<std::string>& request_id) {
    connection_->sendText(protocol::encodeError(code, reason, protocol::optionalView(request_id)));
}

void Session::onJoined(const std::string& room, const std::string& nick, const net::SharedFrame& welcome,
                       std::uint64_t join_serial) {
    const JoinTracker::Outcome outcome = joins_.joined(room, join_serial);
    if (outcome.won) {
        LoopRooms& rooms = hub_.loopRooms(connection_->loop().index());
        if (!outcome.left.empty()) rooms.remove(outcome.left, *connection_);
        if (outcome.entered) rooms.add(room, *connection_, mode_);
        nick_ = nick;
        placeInDirectory(room);
        if (welcome) connection_->send(welcome);
    }
    leaveRooms(outcome.leave);
}

void Session::placeInDirectory(const std::string& room) { hub_.directory().placed(id_, room, nick_); }

void Session::leaveRooms(const std::vector<std::string>& rooms, bool banned) {
    for (const std::string& room : rooms) hub_.submit(LeaveCommand{ref(), room, banned});
}

void Session::onJoinFailed(std::uint64_t join_serial) { leaveRooms(joins_.failed(join_serial)); }

void Session::onNickChanged(const std::string& nick) {
    nick_ = nick;
    placeInDirectory(joins_.current());
}

void Session::onKicked(const std::string& room, const net::SharedFrame& event) {
    if (!joins_.kicked(room)) return;  // it had moved on: nothing to tell
    kicked_ = joins_.target().empty();
    hub_.loopRooms(connection_->loop().index()).remove(room, *connection_);
    placeInDirectory({});
    connection_->send(event);
}

void Session::disconnect(std::uint16_t code, std::string_view reason) {
    if (connection_) connection_->close(code, reason);
}

void Session::sendNotice(const net::SharedFrame& json, const net::SharedFrame& raw) {
    connection_->send(mode_ == Mode::Json ? json : raw);
}

}  // namespace chatd::chat
