# shellcheck shell=bash
# The moderation steps of Packaging.SystemdContainer (sourced by
# container_test.sh, which defines in_container, client, write_config,
# status_text and main_pid): on the installed service, chatdctl rooms and who
# while a client is connected, the moderation plugin enabled by a reload,
# `chatdctl ban` as root (a connected holder of the nick gets 4003), the ban
# kept across `systemctl restart chatd` (the state file in /var/lib/chatd),
# a join under the nick refused with `banned`, `chatdctl unban` lets it in.
# Starts the stopped service and leaves it stopped, with write_config's file.

moderation_steps() {
  step "chatdctl rooms and who on the installed service, a client connected"
  in_container systemctl start chatd || fail "chatd did not start"
  client connect erin erin
  local out
  out=$(in_container chatdctl rooms) || fail "chatdctl rooms: $out"
  grep -Eq '^lobby +1$' <<<"$out" || fail "chatdctl rooms does not list lobby with 1 member: $out"
  out=$(in_container chatdctl who lobby) || fail "chatdctl who lobby: $out"
  grep -Eq '^erin +[0-9]+ +127\.0\.0\.1[^ ]* +json ' <<<"$out" || fail "chatdctl who lobby does not list erin: $out"
  pass "rooms: lobby 1; who lobby: $(grep '^erin' <<<"$out")"

  step "moderation enabled by a reload; chatdctl ban as root closes the nick's connection with 4003"
  write_config 32 "  - name: moderation
    tick: 1s"
  in_container systemctl reload chatd || fail "systemctl reload (enabling moderation) failed"
  moderation_loaded() { in_container chatdctl status | grep -q '^plugins .*moderation'; }
  wait_until 20 "the moderation plugin in chatdctl status" moderation_loaded
  client connect somenick somenick
  out=$(in_container chatdctl ban somenick --reason "spam") || fail "chatdctl ban somenick exited $?: $out"
  client closed somenick 4003
  out=$(in_container chatdctl bans) || fail "chatdctl bans: $out"
  { grep -q '"target":"somenick"' <<<"$out" && grep -q '"reason":"spam"' <<<"$out"; } || fail "chatdctl bans: $out"
  pass "ban exit 0, somenick closed with 4003, listed by chatdctl bans"

  step "the ban survives systemctl restart chatd; unban lets the nick in"
  in_container systemctl restart chatd || fail "systemctl restart chatd failed"
  client closed erin 1001
  [[ "$(in_container stat -c %U /var/lib/chatd/moderation-moderation.json)" == chatd ]] ||
    fail "no moderation state file of chatd's in /var/lib/chatd"
  out=$(in_container chatdctl bans) || fail "chatdctl bans after the restart: $out"
  grep -q '"target":"somenick"' <<<"$out" || fail "the ban did not survive the restart: $out"
  client join-refused somenick banned
  out=$(in_container chatdctl unban somenick) || fail "chatdctl unban somenick exited $?: $out"
  client connect somenick somenick
  client drop somenick
  out=$(in_container chatdctl bans) || fail "chatdctl bans after the unban: $out"
  ! grep -q somenick <<<"$out" || fail "somenick still listed after the unban: $out"
  in_container systemctl stop chatd
  write_config 32
  pass "after the restart: listed (moderation-moderation.json), a join as somenick gets banned; after unban it joins"
}
