// The Lua scripts the Redis bus runs. Each one is atomic in Redis, which is
// what gives every instance the same order and numbering per room. Key layout
// (P = bus.redis.key_prefix, R = room name):
//
//   P room:R            channel: M, P and K records of the room (all instances PSUBSCRIBE P room:*)
//   P room:R:meta       hash: epoch, seq; c:<instance>, m:<instance>: which publish counters ran
//   P room:R:log        stream: the history, fields s (seq), e (epoch), m (M record)
//   P room:R:users      hash: folded nick -> "<instance> <nick>"
//   P instances         sorted set: instance id -> expiry (ms, Redis time)
//   P instance:I:rooms  set: rooms instance I registered members in
//   P instance:I        channel: S, H and D records for instance I only
//   P plugins           channel: X records (plugin broadcasts), every instance SUBSCRIBEs
//
// Arguments are listed above each script in redis_scripts.cpp.
#pragma once

#include <string>
#include <string_view>

namespace chatd::bus {

enum class ScriptId { Publish, Claim, Release, Resync, Heartbeat, Goodbye, Kick, Rooms, Who, DisconnectNick };
inline constexpr ScriptId kAllScripts[] = {ScriptId::Publish, ScriptId::Claim,   ScriptId::Release,
                                           ScriptId::Resync,  ScriptId::Heartbeat, ScriptId::Goodbye,
                                           ScriptId::Kick,    ScriptId::Rooms,   ScriptId::Who,
                                           ScriptId::DisconnectNick};

struct Script {
    std::string_view name;
    std::string source;  // the whole Lua text (shared helpers included)
    std::string sha1;    // what EVALSHA names it by
};

const Script& script(ScriptId id);

}  // namespace chatd::bus
