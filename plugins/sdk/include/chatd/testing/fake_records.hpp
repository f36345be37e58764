// What the fake host (chatd/testing/fake_host.hpp) takes as input and
// records as output: senders and connections a test makes up, the sessions
// it knows, and every service call a plugin made. Included by fake_host.hpp.
#pragma once

#include <cstdint>
#include <string>

#include "chatd/plugin.hpp"

namespace chatd::sdk::testing {

struct LogLine {
    LogLevel level;
    std::string text;
};

// A reply() or notice() (the same service).
struct Reply {
    std::uint64_t session_id;
    std::string text;
};

// Who sends a message, joins, leaves or asks to join. The fields after `nick`
// are for the 0.2 hooks: `origin` is what Message::origin() returns ("",
// "plugin" or "admin"), `address` and `claims_json` what onJoinRequest sees.
struct Sender {
    std::uint64_t session_id = 1;
    std::string session = "s1";
    std::string room = "lobby";
    std::string nick = "alice";
    std::string origin = "";
    std::string address = "127.0.0.1";
    std::string claims_json = "";
};

// A WebSocket connection asking to be accepted (FakeHost::connect).
struct Connection {
    std::string address = "127.0.0.1";
    std::string origin = "";
    std::string path = "/";
    std::string mode = "json";
    std::string claims_json = "";
};

// A session the fake daemon knows (FakeHost::addSession): what sessionInfo()
// and findSession() answer from.
struct FakeSession {
    std::uint64_t session_id = 1;
    std::string session = "s1";
    std::string nick = "alice";
    std::string room = "lobby";
    std::string address = "127.0.0.1";
    std::string mode = "json";
    std::int64_t connected_ms = 0;
    std::string claims_json = "";
};

// What one plugin did with one message.
struct Outcome {
    Verdict verdict;        // the plugin's verdict (pass when it failed)
    std::string text;       // the text after the plugin: replaced or the original
    bool replaced = false;  // setText() was called
    bool failed = false;    // the hook threw: the daemon would apply on_error
    std::string error;      // the exception's message

    bool passed() const { return !failed && verdict.kind == VerdictKind::Continue; }
    bool dropped() const { return verdict.kind == VerdictKind::Drop; }
    bool rejected() const { return verdict.kind == VerdictKind::Reject; }
};

// What onConnect / onJoinRequest decided. A plugin without the hook admits.
struct AdmissionOutcome {
    bool admitted = true;
    std::string reason;   // the refusal's reason as the plugin gave it
    std::string code;     // the refusal's code as the plugin gave it ("" = forbidden)
    bool failed = false;  // the hook threw (on_error decides in the daemon)
    std::string error;

    bool refused() const { return !failed && !admitted; }
};

// What onControl answered: `json` (the plugin's text, "" meaning null), or
// failed + error (what chatdctl would print, exiting 1).
struct ControlOutcome {
    std::string json;
    bool failed = false;
    std::string error;
};

// A post() the plugin made (queued in the daemon; recorded here).
struct Post {
    std::string room;
    std::string from;
    std::string text;
};

struct Kick {
    std::uint64_t session_id;
    std::string room;
    std::string reason;
    bool banned = false;  // kick_banned (KickAs::Banned): the room's leave says "banned"
};

struct Disconnect {
    std::uint64_t session_id;
    CloseCode code;
    std::string reason;
};

// A broadcast() the plugin made (its payload, for the other instances).
struct Broadcast {
    std::string payload;
};

// One metricAdd() / metricSet() call.
struct MetricCall {
    std::string name;
    std::string label;
    double value;  // the delta (add) or the value (set)
    bool set;      // metricSet rather than metricAdd
};

}  // namespace chatd::sdk::testing
