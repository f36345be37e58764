#include "bus/redis_scripts.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>

#include <array>

namespace chatd::bus {

namespace {

// Shared by every script. Records are lists of "<len>:<bytes>" fields (record.h).
constexpr std::string_view kHelpers = R"lua(
local function ns(s) s = tostring(s) return #s .. ':' .. s end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function owner_of(v) return string.match(v, '^(%S+) ') end
local function nick_of(v) return string.match(v, '^%S+ (.*)$') end
local function alive(instances, id, now)
  local expiry = redis.call('ZSCORE', instances, id)
  return expiry ~= false and tonumber(expiry) > now
end
-- The room's epoch; a room Redis lost (or never had) starts a new one.
local function ensure_epoch(meta, log, candidate)
  local epoch = redis.call('HGET', meta, 'epoch')
  if epoch then return epoch end
  redis.call('DEL', log)
  redis.call('HSET', meta, 'epoch', candidate, 'seq', 0)
  return candidate
end
local function field(entry, name)
  local f = entry[2]
  for i = 1, #f, 2 do if f[i] == name then return f[i + 1] end end
end
local function fresh(entry, min_ms)
  return min_ms <= 0 or tonumber(string.match(entry[1], '^(%d+)')) >= min_ms
end
-- The newest `count` messages still young enough, oldest first.
local function recent(log, count, min_ms)
  local out = {}
  if count <= 0 then return out end
  local got = redis.call('XREVRANGE', log, '+', '-', 'COUNT', count)
  for i = #got, 1, -1 do if fresh(got[i], min_ms) then out[#out + 1] = field(got[i], 'm') end end
  return out
end
-- Exactly the messages after seq `since` up to `last`, or nil when the log
-- no longer holds all of them.
local function after(log, since, last, max, min_ms)
  local missed = last - since
  if missed == 0 then return {} end
  if missed > max then return nil end
  local got = redis.call('XREVRANGE', log, '+', '-', 'COUNT', missed)
  if #got ~= missed or tonumber(field(got[#got], 's')) ~= since + 1 then return nil end
  local out = {}
  for i = #got, 1, -1 do
    if not fresh(got[i], min_ms) then return nil end
    out[#out + 1] = field(got[i], 'm')
  end
  return out
end
local function presence(channel, event, count, nick, old, origin, flag, reason)
  local record = ns('P') .. ns(event) .. ns(count) .. ns(nick) .. ns(old) .. ns(origin) .. ns(flag)
  if reason and reason ~= '' then record = record .. ns(reason) end
  redis.call('PUBLISH', channel, record)
end
local function sync_record(room, token, epoch, seq, recovered, users, messages)
  local out = {ns('S'), ns(room), ns(token), ns(epoch), ns(seq), ns(recovered), ns(users)}
  for _, m in ipairs(messages) do out[#out + 1] = ns(m) end
  return table.concat(out)
end
-- Removes every member instance `id` registered and tells the rooms.
local function reap(prefix, instances, id)
  local rooms_key = prefix .. 'instance:' .. id .. ':rooms'
  for _, room in ipairs(redis.call('SMEMBERS', rooms_key)) do
    local users = prefix .. 'room:' .. room .. ':users'
    local all = redis.call('HGETALL', users)
    for i = 1, #all, 2 do
      if owner_of(all[i + 1]) == id then
        redis.call('HDEL', users, all[i])
        presence(prefix .. 'room:' .. room, 'leave', redis.call('HLEN', users), nick_of(all[i + 1]), '', id, '')
      end
    end
    redis.call('HDEL', prefix .. 'room:' .. room .. ':meta', 'c:' .. id, 'm:' .. id)
  end
  redis.call('DEL', rooms_key)
  redis.call('ZREM', instances, id)
end
)lua";

// KEYS: meta, log
// ARGV: 1 room channel, 2 instance, 3 publish counter, 4 epoch candidate,
//       5 history length, 6 history age ms (0 = none), 7 body (from, id, text, origin?)
// An instance numbers its publishes 1, 2, 3...; Redis runs each number at
// most once per room, so a message sent again after a lost link (or the lost
// link's own copy arriving late) does nothing the second time. It keeps the
// highest number run (c:<instance>) and which of the 52 below it ran
// (m:<instance>, a bit mask), so the check holds in any order of arrival.
// Returns the message's seq, or 0 for a copy.
constexpr std::string_view kPublish = R"lua(
local meta, log = KEYS[1], KEYS[2]
local maxlen, age = tonumber(ARGV[5]), tonumber(ARGV[6])
local epoch = ensure_epoch(meta, log, ARGV[4])
local me, counter = ARGV[2], tonumber(ARGV[3])
local last = tonumber(redis.call('HGET', meta, 'c:' .. me) or '0')
local ran = tonumber(redis.call('HGET', meta, 'm:' .. me) or '0')
local window = 2 ^ 52
if counter > last then
  local shift = counter - last
  if last == 0 or shift > 52 then ran = 0
  else ran = (ran * 2 ^ shift + 2 ^ (shift - 1)) % window end
  last = counter
else
  local bit = last - counter - 1
  if bit < 0 or bit >= 52 or math.floor(ran / 2 ^ bit) % 2 == 1 then return 0 end
  ran = ran + 2 ^ bit
end
redis.call('HSET', meta, 'c:' .. me, string.format('%d', last), 'm:' .. me, string.format('%d', ran))
local seq = redis.call('HINCRBY', meta, 'seq', 1)
local now = now_ms()
local record = ns('M') .. ns(epoch) .. ns(seq) .. ns(now) .. ARGV[7]
if maxlen > 0 then
  redis.call('XADD', log, 'MAXLEN', maxlen, '*', 's', seq, 'e', epoch, 'm', record)
  if age > 0 then redis.call('XTRIM', log, 'MINID', (now - age) .. '-0') end
end
redis.call('PUBLISH', ARGV[1], record)
if age > 0 then
  redis.call('PEXPIRE', meta, age)
  redis.call('PEXPIRE', log, age)
end
return seq
)lua";

// KEYS: meta, log, users, instances, instance rooms
// ARGV: 1 room, 2 instance, 3 room channel, 4 own channel, 5 token, 6 nick, 7 folded nick,
//       8 old nick, 9 old folded nick ('' = newcomer), 10 epoch candidate, 11 sync ('1' / '0'),
//       12 since epoch ('' = none), 13 since seq, 14 recent count, 15 history length, 16 history age ms,
//       17 list the users ('1' / '0')
// Returns 'taken', or 'ok' after publishing the S record (sync) and the presence event.
constexpr std::string_view kClaim = R"lua(
local meta, log, users, instances, myrooms = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local me, nick, folded, old, old_folded = ARGV[2], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local now = now_ms()
local epoch = ensure_epoch(meta, log, ARGV[10])
if folded ~= old_folded then
  local held = redis.call('HGET', users, folded)
  if held and owner_of(held) ~= me and alive(instances, owner_of(held), now) then return 'taken' end
  if old_folded ~= '' then
    local mine = redis.call('HGET', users, old_folded)
    if mine and owner_of(mine) == me then redis.call('HDEL', users, old_folded) end
  end
end
redis.call('HSET', users, folded, me .. ' ' .. nick)
redis.call('SADD', myrooms, ARGV[1])
if ARGV[11] == '1' then
  local seq = tonumber(redis.call('HGET', meta, 'seq'))
  local age = tonumber(ARGV[16])
  local min_ms = 0
  if age > 0 then min_ms = now - age end
  local history, recovered = nil, '0'
  if ARGV[12] == epoch and tonumber(ARGV[13]) <= seq then
    history = after(log, tonumber(ARGV[13]), seq, tonumber(ARGV[15]), min_ms)
    if history then recovered = '1' end
  end
  if not history then history = recent(log, tonumber(ARGV[14]), min_ms) end
  local names = {}
  if ARGV[17] ~= '0' then
    for _, v in ipairs(redis.call('HVALS', users)) do names[#names + 1] = nick_of(v) end
  end
  redis.call('PUBLISH', ARGV[4], sync_record(ARGV[1], ARGV[5], epoch, seq, recovered, table.concat(names, ' '), history))
end
local count = redis.call('HLEN', users)
if old_folded == '' then presence(ARGV[3], 'join', count, nick, '', me, '')
elseif old ~= nick then presence(ARGV[3], 'nick', count, nick, old, me, '') end
return 'ok'
)lua";

// KEYS: users
// ARGV: 1 room channel, 2 instance, 3 folded nick, 4 the leave's reason ("" or absent: none)
// Returns 1 when the member was this instance's and is gone now.
constexpr std::string_view kRelease = R"lua(
local held = redis.call('HGET', KEYS[1], ARGV[3])
if not held or owner_of(held) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[3])
presence(ARGV[1], 'leave', redis.call('HLEN', KEYS[1]), nick_of(held), '', ARGV[2], '', ARGV[4])
return 1
)lua";

// KEYS: meta, log, users, instances, instance rooms
// ARGV: 1 room, 2 instance, 3 room channel, 4 own channel, 5 token, 6 epoch candidate,
//       7 cursor epoch ('' = none), 8 cursor seq, 9 history length, 10 history age ms,
//       11 new epoch ('1' / '0'), 12 the new epoch, 13.. pairs of nick, folded nick
// Makes this instance's members in the room exactly the given ones, then
// publishes an S record with the messages after the cursor. Returns how many
// nicks are held by a live member of another instance (left as they are).
constexpr std::string_view kResync = R"lua(
local meta, log, users, instances, myrooms = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local me, channel = ARGV[2], ARGV[3]
local now = now_ms()
local epoch = ensure_epoch(meta, log, ARGV[6])
if ARGV[11] == '1' and epoch == ARGV[7] then
  epoch = ARGV[12]
  redis.call('HSET', meta, 'epoch', epoch)
end
redis.call('SADD', myrooms, ARGV[1])
local wanted = {}
for i = 13, #ARGV, 2 do wanted[ARGV[i + 1]] = ARGV[i] end
local all = redis.call('HGETALL', users)
for i = 1, #all, 2 do
  if owner_of(all[i + 1]) == me and not wanted[all[i]] then
    redis.call('HDEL', users, all[i])
    presence(channel, 'leave', redis.call('HLEN', users), nick_of(all[i + 1]), '', me, 'r')
  end
end
local conflicts = 0
for folded, nick in pairs(wanted) do
  local held = redis.call('HGET', users, folded)
  if held and owner_of(held) ~= me and alive(instances, owner_of(held), now) then
    conflicts = conflicts + 1
  else
    redis.call('HSET', users, folded, me .. ' ' .. nick)
    if not held or owner_of(held) ~= me then presence(channel, 'join', redis.call('HLEN', users), nick, '', me, 'r') end
  end
end
local messages = {}
if ARGV[7] ~= '' then
  local age = tonumber(ARGV[10])
  local min_ms = 0
  if age > 0 then min_ms = now - age end
  local got = redis.call('XREVRANGE', log, '+', '-', 'COUNT', tonumber(ARGV[9]))
  local stop = #got + 1
  for i = 1, #got do
    if field(got[i], 'e') == ARGV[7] and tonumber(field(got[i], 's')) <= tonumber(ARGV[8]) then
      stop = i
      break
    end
  end
  for i = stop - 1, 1, -1 do if fresh(got[i], min_ms) then messages[#messages + 1] = field(got[i], 'm') end end
end
local seq = tonumber(redis.call('HGET', meta, 'seq'))
redis.call('PUBLISH', ARGV[4], sync_record(ARGV[1], ARGV[5], epoch, seq, '0', '', messages))
return conflicts
)lua";

// KEYS: instances
// ARGV: 1 instance, 2 ttl ms, 3 own channel, 4 key prefix
// Keeps this instance alive for ttl, removes the members of instances whose
// time ran out, and sends H round through the own channel. Returns 1 when this
// instance had been given up as dead (its members are gone), else 0.
constexpr std::string_view kHeartbeat = R"lua(
local now = now_ms()
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, 8)) do
  reap(ARGV[4], KEYS[1], id)
end
redis.call('PUBLISH', ARGV[3], ns('H'))
return added
)lua";

// KEYS: instances
// ARGV: 1 instance, 2 key prefix
// A clean shutdown: this instance's members leave every room now.
constexpr std::string_view kGoodbye = R"lua(
reap(ARGV[2], KEYS[1], ARGV[1])
return 1
)lua";

// ARGV: 1 room channel, 2 the K record
// A kick by nick: every instance hears it, the one holding the nick acts.
constexpr std::string_view kKick = R"lua(
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
)lua";

// ---- the operator's view (chatdctl rooms, who, disconnect): read-only but for D ----

// KEYS: instances
// ARGV: 1 key prefix
// Every room a live instance registered members in, with its members on live
// instances (rooms with none left out): a flat list room, count, room, count...
constexpr std::string_view kRooms = R"lua(
local now = now_ms()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local live, seen, out = {}, {}, {}
for _, id in ipairs(ids) do live[id] = true end
for _, id in ipairs(ids) do
  for _, room in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'instance:' .. id .. ':rooms')) do
    if not seen[room] then
      seen[room] = true
      local count = 0
      for _, v in ipairs(redis.call('HVALS', ARGV[1] .. 'room:' .. room .. ':users')) do
        if live[owner_of(v)] then count = count + 1 end
      end
      if count > 0 then
        out[#out + 1] = room
        out[#out + 1] = count
      end
    end
  end
end
return out
)lua";

// KEYS: users, instances
// ARGV: none
// The room's members held by live instances: a flat list nick, instance, ...
constexpr std::string_view kWho = R"lua(
local now = now_ms()
local out = {}
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
  local owner = owner_of(v)
  if owner and alive(KEYS[2], owner, now) then
    out[#out + 1] = nick_of(v)
    out[#out + 1] = owner
  end
end
return out
)lua";

// KEYS: instances
// ARGV: 1 key prefix, 2 instance (the asking one, not told), 3 folded nick, 4 the D record
// Sends the D record to every other live instance holding the nick in one of
// its rooms; returns how many were told.
constexpr std::string_view kDisconnectNick = R"lua(
local now = now_ms()
local told = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')) do
  if id ~= ARGV[2] then
    for _, room in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'instance:' .. id .. ':rooms')) do
      local held = redis.call('HGET', ARGV[1] .. 'room:' .. room .. ':users', ARGV[3])
      if held and owner_of(held) == id then
        redis.call('PUBLISH', ARGV[1] .. 'instance:' .. id, ARGV[4])
        told = told + 1
        break
      end
    end
  end
end
return told
)lua";

std::string sha1Hex(const std::string& text) {
    Poco::SHA1Engine engine;
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

Script makeScript(std::string_view name, std::string_view body) {
    std::string source(kHelpers);
    source += body;
    std::string sha = sha1Hex(source);
    return Script{name, std::move(source), std::move(sha)};
}

}  // namespace

const Script& script(ScriptId id) {
    static const std::array<Script, 10> scripts{
        makeScript("publish", kPublish), makeScript("claim", kClaim),         makeScript("release", kRelease),
        makeScript("resync", kResync),   makeScript("heartbeat", kHeartbeat), makeScript("goodbye", kGoodbye),
        makeScript("kick", kKick),       makeScript("rooms", kRooms),         makeScript("who", kWho),
        makeScript("disconnect_nick", kDisconnectNick),
    };
    return scripts[static_cast<std::size_t>(id)];
}

}  // namespace chatd::bus
