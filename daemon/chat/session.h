// Session: the chat side of one WebSocket connection (raw or chatd.v1). It
// turns frames into hub commands and applies what the hub answers. It lives
// and runs on its connection's IO loop thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/join_tracker.h"
#include "chat/pending_commands.h"
#include "chat/session_ref.h"
#include "limits/token_bucket.h"
#include "net/connection_handler.h"
#include "net/shared_frame.h"
#include "protocol/requests.h"

namespace chatd::chat {

class Hub;

// What the upgrade knew of the connection, for the session directory
// (hub.directory(): plugins' session facts, `chatdctl who`).
struct ConnectionFacts {
    std::string address;      // the client's address; "" = the connection's peer
    std::string claims_json;  // the token's claims as JSON; "" when auth is off
};

class Session : public net::ConnectionHandler {
public:
    // The close code of a ban (shared/PROTOCOL.md 1.1).
    static constexpr std::uint16_t kBannedClose = 4003;

    // `locked_nick`: the nick from the client's token (auth.mode jwt); the
    // session always uses it and a join or nick request naming another gets
    // the error nick_locked. Empty: the client picks its nick.
    // `facts` go into the hub's session directory (defaults: the peer, no claims).
    Session(Hub& hub, std::uint64_t id, Mode mode, std::string locked_nick = {}, ConnectionFacts facts = {});

    void onOpen(net::Connection& connection) override;
    void onMessage(net::Connection& connection, bool binary, std::string_view payload) override;
    void onClose(net::Connection& connection, std::uint16_t code, std::string_view reason) override;

    // Answers from the hub (run on this session's loop) to the join numbered
    // `join_serial`. Only the last join sent moves the session; an earlier
    // one's welcome is dropped and its room left again (JoinTracker).
    void onJoined(const std::string& room, const std::string& nick, const net::SharedFrame& welcome,
                  std::uint64_t join_serial);
    void onJoinFailed(std::uint64_t join_serial);
    void onNickChanged(const std::string& nick);
    // The shard removed this session from `room` (a kick): when that is its
    // current room it is in no room now and gets `event` (the `kicked`
    // event, or a raw line); a room it was on its way out of is just forgotten.
    void onKicked(const std::string& room, const net::SharedFrame& event);
    // Closes the connection with `code` (e.g. 4000, 4003) and `reason`
    // (cut to fit a close frame); no-op once closing. Its IO loop thread
    // only: others go through hub.withSession(). Whoever closes it with
    // 4003 (a ban; here or the server), its rooms see a leave "banned".
    void disconnect(std::uint16_t code, std::string_view reason);
    // Sends the frame of this session's mode.
    void sendNotice(const net::SharedFrame& json, const net::SharedFrame& raw);

    const std::string& nick() const { return nick_; }
    const std::string& room() const { return joins_.current(); }

private:
    void handleJson(std::string_view payload);
    void handleRaw(std::string_view text);
    void requestJoin(const std::string& room, const std::string& nick, std::optional<protocol::Since> since,
                     std::optional<std::string> request_id);
    void post(std::string text, std::optional<std::string> request_id);
    // Backpressure after a message went to `room`'s shard: pauses reading
    // while too many of this session's messages wait there
    // (limits.session_pending_commands) or the shard's mailbox is over
    // limits.shard_queue_bytes.
    void holdBackIfBusy(const std::string& room);
    // Flood control after a chat message (limits.session_messages_per_second):
    // the message takes a token; with none left the connection is not read
    // until there is one again (what it sent waits in the kernel).
    void paceMessages();
    // Tells the hub the session left each of `rooms` (`banned`: the leaves say so).
    void leaveRooms(const std::vector<std::string>& rooms, bool banned = false);
    // False (after answering rate_limited) when join/nick requests come too fast.
    bool takeJoinNickToken(const std::optional<std::string>& request_id);
    // False (after answering rate_limited) when history requests come too fast.
    bool takeHistoryToken(const std::optional<std::string>& request_id);
    bool takeToken(limits::TokenBucket& bucket, double rate, double burst, std::string_view what,
                   const std::optional<std::string>& request_id);
    void sendError(std::string_view code, std::string_view reason, const std::optional<std::string>& request_id);
    // True (after answering nick_locked) when the token's nick forbids `nick`.
    bool refuseOtherNick(const std::optional<std::string>& nick, const std::optional<std::string>& request_id);
    // The room commands go to: the one being joined, else the current one.
    const std::string& targetRoom() const { return joins_.target(); }
    SessionRef ref() const { return {id_, mode_}; }
    // The directory's entry follows the room and nick (room "" = in none).
    void placeInDirectory(const std::string& room);

    Hub& hub_;
    std::uint64_t id_;
    Mode mode_;
    net::Connection* connection_ = nullptr;
    std::string nick_;          // empty until the hub assigns one
    std::string locked_nick_;   // from the token; empty when nicks are free
    ConnectionFacts facts_;     // handed to the directory on open
    bool kicked_ = false;       // kicked and in no room since: a JSON `message` does not join the default room
    JoinTracker joins_;         // the current room and the joins not yet answered
    std::shared_ptr<PendingCommands> pending_;  // messages at the shard (made on open)
    limits::TokenBucket join_nick_bucket_;
    limits::TokenBucket message_bucket_;  // chat messages (paceMessages())
    // Each history answer can be half a send queue: a reader scrolling back
    // asks a few pages a second, a client asking more is told to wait.
    static constexpr double kHistoryPerSecond = 5;
    static constexpr double kHistoryBurst = 10;
    limits::TokenBucket history_bucket_;
};

}  // namespace chatd::chat
