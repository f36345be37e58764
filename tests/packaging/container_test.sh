#!/usr/bin/env bash
# Packaging.SystemdContainer: the packages under a real systemd. Boots Debian
# bookworm (a root made once with mmdebstrap, cached) with systemd-nspawn in
# a private network namespace, then inside it: installs chatd with apt, checks
# the service (active, user chatd, no capabilities, seccomp, the page on port
# 8080), chatdctl on the control socket (root, a group member, nobody: 77), chats through it with WebSocket clients, reloads a good config
# without dropping them, refuses a broken one while the old process serves,
# loads plugins built out of tree against chatd-dev (the installed hello
# example among them), checks a config as docs/operations.md says, rotates
# the transcript with the shipped logrotate rule, stops (clients get 1001),
# ends a start with a broken config in `failed` (no endless restarts) and
# recovers with the documented commands, binds port 80 only with the override
# docs/operations.md gives, upgrades (the edited /etc/chatd.yaml stays) and
# purges; chatdctl rooms/who and the moderation plugin: moderation_steps.sh.
# Costs ~2-3 minutes (plus ~3 minutes the first time, for the root).
# Usage: container_test.sh SOURCE_DIR DEBS_DIR CLIENT_BINARY WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/moderation_steps.sh"
src=$1 debs=$2 client_bin=$3 work=$4
need mmdebstrap systemd-nspawn nsenter dpkg-deb cmake flock

chatd_deb=$(ls "$debs"/chatd_*.deb)
dev_deb=$(ls "$debs"/chatd-dev_*.deb)
version=$(dpkg-deb -f "$chatd_deb" Version)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
plugin_dir=/usr/lib/$multiarch/chatd/plugins

rm -rf "$work"
mkdir -p "$work/debs"
cp "$chatd_deb" "$dev_deb" "$work/debs/"

cleanup() {
  local status=$?
  if [[ $status -ne 0 && -n "${LEADER:-}" ]]; then
    echo "---- journal of chatd in the container (last 60 lines)"
    in_container journalctl -u chatd --no-pager -n 60 2>&1 || true
  fi
  [[ -n "${CLIENT_PID:-}" ]] && { kill "$CLIENT_PID" 2>/dev/null || true; }
  stop_container
  # Keep the container's root after a failure, for a look; drop it otherwise.
  [[ $status -eq 0 ]] && rm -rf "$work/root"
  exit $status
}
trap cleanup EXIT

step "a plugin built out of tree against chatd-dev (dpkg -x), on the host"
dpkg-deb -x "$dev_deb" "$work/dev"
cp -r "$src/tests/plugins/out_of_tree" "$work/shout-src"
cmake -S "$work/shout-src" -B "$work/shout-build" -DCMAKE_PREFIX_PATH="$work/dev/usr" \
  -DCMAKE_BUILD_TYPE=Release >"$work/shout-configure.log" 2>&1 || {
  cat "$work/shout-configure.log"
  fail "configuring the plugin against chatd-dev"
}
cmake --build "$work/shout-build" >"$work/shout-build.log" 2>&1 || {
  cat "$work/shout-build.log"
  fail "building the plugin against chatd-dev"
}
"$work/shout-build/shout_test" >/dev/null || fail "the plugin's fake-host test"
pass "shout.so built with find_package(chatd) from the chatd-dev package"

step "the example chatd-dev installs, built out of tree as its comment says"
example=$work/dev/usr/share/doc/chatd-dev/examples/hello
[[ -f "$example/CMakeLists.txt" ]] || fail "chatd-dev has no examples/hello/CMakeLists.txt"
cp -r "$example" "$work/hello-src"
# The package is found in lib/<triplet>/cmake/chatd under the prefix, as
# under /usr once chatd-dev is installed (then no CMAKE_PREFIX_PATH at all).
{ cmake -S "$work/hello-src" -B "$work/hello-build" -DCMAKE_PREFIX_PATH="$work/dev/usr" -DCMAKE_BUILD_TYPE=Release &&
  cmake --build "$work/hello-build" && ctest --test-dir "$work/hello-build" --output-on-failure; } \
  >"$work/hello-example.log" 2>&1 || {
  cat "$work/hello-example.log"
  fail "building and testing the installed hello example out of tree"
}
grep -q "$work/dev/usr/lib/$multiarch/cmake/chatd" "$work/hello-build/CMakeCache.txt" ||
  fail "chatd_DIR is not the package's lib/$multiarch/cmake/chatd: $(grep chatd_DIR "$work/hello-build/CMakeCache.txt")"
pass "examples/hello: configured (chatd_DIR lib/$multiarch/cmake/chatd), built, its fake-host test passed"

# The root: systemd, dbus, man-db (systemd-analyze verify checks the man page)
# and what the packages depend on, so apt installs them offline.
# logrotate runs the shipped /etc/logrotate.d/chatd.
mapfile -t packages < <(printf '%s\n' systemd systemd-sysv dbus man-db logrotate $(deb_depends "$chatd_deb" "$dev_deb"))
ensure_root "${packages[@]}"

step "boot systemd in a copy of the root"
root=$work/root
cp -a "$ROOT_CACHE" "$root"
mkdir -p "$root/usr/local/lib/chatd/plugins"
cp "$work/shout-build/shout.so" "$work/hello-build/hello.so" "$root/usr/local/lib/chatd/plugins/"
boot_container "$root" "$work/console.log" --bind-ro="$work/debs:/debs"

step "apt install ./chatd_${version}_*.deb"
in_container apt-get install -y -q --no-install-recommends "/debs/$(basename "$chatd_deb")" >"$work/install.log" 2>&1 || {
  cat "$work/install.log"
  fail "installing chatd"
}
[[ "$(in_container systemctl is-active chatd)" == active ]] || fail "chatd is not active after the install"
[[ "$(in_container systemctl is-enabled chatd)" == enabled ]] || fail "chatd is not enabled"
pass "installed, enabled and active"

main_pid() { in_container systemctl show -p MainPID --value chatd; }
status_text() { in_container systemctl show -p StatusText --value chatd; }
pid=$(main_pid)
[[ "$pid" -gt 0 ]] || fail "no MainPID"
proc_status=$(in_container cat "/proc/$pid/status")
chatd_uid=$(in_container id -u chatd)
[[ "$chatd_uid" -gt 0 ]] || fail "chatd's uid is $chatd_uid"
grep -Eq "^Uid:[[:space:]]+$chatd_uid[[:space:]]+$chatd_uid[[:space:]]+$chatd_uid[[:space:]]+$chatd_uid$" <<<"$proc_status" ||
  fail "chatd does not run as user chatd ($chatd_uid): $(grep ^Uid: <<<"$proc_status")"
for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
  grep -Eq "^$cap:[[:space:]]+0000000000000000$" <<<"$proc_status" || fail "$cap is not empty: $(grep "^$cap:" <<<"$proc_status")"
done
grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$proc_status" || fail "NoNewPrivs is not set"
grep -Eq '^Seccomp:[[:space:]]+2$' <<<"$proc_status" || fail "no seccomp filter"
# The unit's filter lets one call of @resources through: the history store's
# thread moves itself to SCHED_BATCH (policy 3, field 41 of its stat).
store_thread_is_batch() {
  [[ "$(in_container sh -c "for t in /proc/$pid/task/*; do [ \"\$(cat \$t/comm)\" = chatd-store ] && cut -d' ' -f41 \$t/stat; done")" == 3 ]]
}
wait_until 10 "the history store's thread (chatd-store) to run as SCHED_BATCH" store_thread_is_batch
[[ "$(in_container getent passwd chatd | cut -d: -f6,7)" == /var/lib/chatd:/usr/sbin/nologin ]] ||
  fail "the chatd user: $(in_container getent passwd chatd)"
in_container grep -q "^Max open files *65536 *65536" "/proc/$pid/limits" ||
  echo "note: $(in_container grep 'Max open files' "/proc/$pid/limits") (the machine's hard limit is lower than 65536)"
pass "MainPID $pid runs as chatd ($chatd_uid), no capabilities, NoNewPrivs, seccomp, the store thread SCHED_BATCH; status: $(status_text)"

step "systemd-analyze verify and security, inside"
verify=$(in_container systemd-analyze verify chatd.service 2>&1) || fail "systemd-analyze verify failed: $verify"
[[ -z "$verify" ]] || fail "systemd-analyze verify printed: $verify"
exposure=$(in_container systemd-analyze security chatd.service 2>&1 | sed -n 's/.*Overall exposure level for chatd.service: \([0-9.]*\).*/\1/p')
[[ -n "$exposure" ]] || fail "no exposure level from systemd-analyze security"
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure > 2.0"
pass "verify printed nothing; exposure of the running unit $exposure"

step "the page on port 8080"
http_get() { # PATH: the whole HTTP/1.0 response from 127.0.0.1:8080 in the container
  in_container_net timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:8080\r\n\r\n" "$1" >&3 && cat <&3' _ "$1"
}
page=$(http_get /)
head -n1 <<<"$page" | grep -q '^HTTP/1.[01] 200' || fail "GET / answered: $(head -n1 <<<"$page")"
grep -qi '<html' <<<"$page" || fail "GET / is not the page"
http_get /healthz | grep -q '"status":"ok"' || fail "/healthz is not ok"
pass "GET / serves /usr/share/chatd/public/index.html; /healthz ok"

step "chatdctl on the control socket: root without flags, a group member, and nobody (77)"
[[ "$(in_container stat -c '%a %U %G %F' /run/chatd/control.sock)" == "660 chatd chatd socket" ]] ||
  fail "the control socket: $(in_container stat -c '%a %U %G %F' /run/chatd/control.sock)"
ctl_status=$(in_container chatdctl status) || fail "chatdctl status as root: $ctl_status"
grep -q "^version " <<<"$ctl_status" || fail "chatdctl status: $ctl_status"
grep -q "^plugins *logging, filter, ratelimit" <<<"$ctl_status" || fail "chatdctl status plugins: $ctl_status"
# A member of group chatd, whom the daemon (PrivateUsers=yes) sees as nobody: the socket file admits it.
in_container useradd --no-create-home --groups chatd chatd-operator
member=$(in_container runuser -u chatd-operator -- chatdctl --json status) || fail "chatdctl as a member of chatd: $member"
grep -q '"ok":true' <<<"$member" || fail "chatdctl as a member of chatd: $member"
set +e
outsider=$(in_container runuser -u nobody -- chatdctl status 2>&1)
outsider_status=$?
set -e
[[ $outsider_status -eq 77 ]] || fail "chatdctl as nobody exited $outsider_status (want 77): $outsider"
[[ "$(in_container bash -c '. /usr/share/bash-completion/completions/chatdctl && complete -p chatdctl')" == *_chatdctl* ]] ||
  fail "the bash completion does not register chatdctl"
in_container man -w chatdctl >/dev/null || fail "no chatdctl(8) man page"
pass "root: $(head -n1 <<<"$ctl_status"); a member of chatd is served; nobody gets 77; completion and man page installed"

step "WebSocket clients chat through the service"
coproc CLIENT { in_container_net "$client_bin" 8080 20 2>"$work/client.log"; }
client() { # COMMAND...: one client command; fails the test unless it answers ok
  local reply
  echo "$*" >&"${CLIENT[1]}"
  read -r -t 60 reply <&"${CLIENT[0]}" || fail "the client did not answer '$*'"
  [[ "$reply" == ok ]] || fail "client '$*': $reply"
}
client connect alice alice
client connect bob bob
client say alice hello from alice
client expect bob hello from alice
# The logging plugin writes from its own thread: wait for the line.
wait_until 10 "the transcript in /var/lib/chatd" in_container grep -q "hello from alice" /var/lib/chatd/transcript.jsonl
[[ "$(in_container stat -c %U /var/lib/chatd/transcript.jsonl)" == chatd ]] || fail "the transcript is not chatd's"
[[ "$(in_container stat -c %U /var/lib/chatd/history.db)" == chatd ]] || fail "no history store of chatd's in /var/lib/chatd"
pass "alice -> bob; the transcript and the history store are in the state directory"

# A test configuration: the shipped file's keys we need, the logging plugin,
# the installed hello example (answers "/hello") and the out-of-tree plugin
# (upper-cases messages, appends "!!").
write_config() { # MAX_TEXT_BYTES [extra YAML line]
  cat >"$root/etc/chatd.yaml" <<YAML
# edited by the packaging test
listen:
  address: 0.0.0.0
  port: 8080
chat:
  max_text_bytes: $1
plugins:
  - name: logging
    config:
      file: transcript.jsonl
  - name: greeter
    path: /usr/local/lib/chatd/plugins/hello.so
    config:
      greeting: howdy
  - name: shout
    path: /usr/local/lib/chatd/plugins/shout.so
    config:
      suffix: "!!"
${2:-}
YAML
}

step "systemctl reload with a good config: applied live, clients stay"
write_config 32
# The check as docs/operations.md gives it (runuser: the container has no sudo).
documented_check() { in_container runuser -u chatd -- env STATE_DIRECTORY=/var/lib/chatd chatd --check-config --config /etc/chatd.yaml; }
documented_check >"$work/check.log" 2>&1 || { cat "$work/check.log"; fail "the documented --check-config command fails"; }
if in_container runuser -u chatd -- chatd --check-config --config /etc/chatd.yaml >/dev/null 2>&1; then
  fail "the plain check from / succeeded: drop the STATE_DIRECTORY note from the docs"
fi
in_container systemctl reload chatd || fail "systemctl reload failed"
reload_applied() { status_text | grep -q 'reloads: 1 applied, 0 refused'; }
wait_until 20 "the daemon to apply the reload (its status line)" reload_applied
[[ "$(main_pid)" == "$pid" ]] || fail "reload replaced the process"
client say alice quiet please
client expect bob QUIET PLEASE!!
client say bob this text is far longer than thirty-two bytes
client expect-error bob too_large
client say alice /hello
client expect-notice alice howdy, alice!
pass "same process, clients kept; the chatd-dev plugins run (the installed example answers /hello); max_text_bytes 32 applies; status: $(status_text)"

step "systemctl reload with a broken config: refused, the old process serves on"
write_config 32 "bogus_key: 1"
if in_container systemctl reload chatd >"$work/bad-reload.log" 2>&1; then fail "a broken config was reloaded"; fi
[[ "$(in_container systemctl is-active chatd)" == active ]] || fail "chatd is not active after a refused reload"
[[ "$(main_pid)" == "$pid" ]] || fail "the refused reload replaced the process"
status_text | grep -q 'reloads: 1 applied, 0 refused' || fail "the daemon was signalled: $(status_text)"
reason_logged() { in_container journalctl -u chatd --no-pager | grep -q "bogus_key"; }
wait_until 10 "the refusal's reason (bogus_key) in the journal" reason_logged
client say bob still here
client expect alice STILL HERE!!
pass "reload refused by ExecReload's --check-config (reason in the journal); still serving"
write_config 32

step "logrotate with the shipped /etc/logrotate.d/chatd: renamed, reloaded, a new file"
in_container logrotate -f /etc/logrotate.d/chatd >"$work/logrotate.log" 2>&1 || {
  cat "$work/logrotate.log"
  fail "logrotate -f /etc/logrotate.d/chatd"
}
in_container grep -q "hello from alice" /var/lib/chatd/transcript.jsonl.1 || fail "no transcript.jsonl.1 with the old lines"
reload_2_applied() { status_text | grep -q 'reloads: 2 applied'; }
wait_until 20 "postrotate's reload to apply" reload_2_applied
client say alice after the rotation
client expect bob AFTER THE ROTATION!!
# The transcript holds the final text (after shout).
wait_until 10 "the new line in a new transcript.jsonl" in_container grep -q "AFTER THE ROTATION!!" /var/lib/chatd/transcript.jsonl
! in_container grep -q "hello from alice" /var/lib/chatd/transcript.jsonl || fail "transcript.jsonl still holds the old lines"
[[ "$(in_container stat -c %U /var/lib/chatd/transcript.jsonl)" == chatd ]] || fail "the new transcript is not chatd's"
[[ "$(main_pid)" == "$pid" ]] || fail "logrotate restarted chatd"
pass "old lines in transcript.jsonl.1, new ones in a new transcript.jsonl, same process, clients kept"

step "systemctl stop: every client gets 1001"
echo "closed alice 1001" >&"${CLIENT[1]}"
in_container systemctl stop chatd
read -r -t 60 reply <&"${CLIENT[0]}" || fail "the client did not answer"
[[ "$reply" == ok ]] || fail "alice on stop: $reply"
client closed bob 1001
[[ "$(in_container systemctl is-active chatd || true)" == inactive ]] || fail "chatd is not inactive after stop"
pass "both clients closed with 1001; inactive"

step "start and systemctl restart keep the room's history (the store in /var/lib/chatd)"
in_container systemctl start chatd || fail "chatd did not start again"
client welcomed-with carol carol hello from alice
in_container systemctl restart chatd || fail "systemctl restart chatd failed"
client welcomed-with dave dave hello from alice
in_container systemctl stop chatd
pass "after a stop/start and a restart, a joiner's welcome still holds alice's message"
moderation_steps

step "start with a broken config: refused a few times, then failed (no endless restarts)"
write_config 32 "bogus_key: 1"
in_container systemctl reset-failed chatd 2>/dev/null || true
exit_status=0
in_container runuser -u chatd -- env STATE_DIRECTORY=/var/lib/chatd chatd --check-config --config /etc/chatd.yaml >/dev/null 2>&1 || exit_status=$?
[[ $exit_status -eq 78 ]] || fail "--check-config of a broken file exited $exit_status, not 78"
if in_container systemctl start chatd >/dev/null 2>&1; then fail "chatd started with a broken config"; fi
unit_property() { in_container systemctl show -p "$1" --value chatd; }
unit_state() { echo "$(unit_property ActiveState) $(unit_property SubState) $(unit_property Result)"; }
# systemd 252 keeps Result=exit-code (ExecStartPre's) and logs the limit.
start_limit_hit() {
  [[ "$(unit_state)" == "failed failed exit-code" ]] &&
    in_container journalctl -u chatd --no-pager | grep -q "Start request repeated too quickly"
}
wait_until 60 "the unit to end failed after StartLimitBurst tries" start_limit_hit
[[ -z "$(in_container systemctl list-jobs --no-legend chatd.service)" ]] || fail "a job is still queued for chatd"
restarts=$(unit_property NRestarts)
((restarts <= 5)) || fail "$restarts restarts, more than StartLimitBurst=5 allows"
pass "ExecStartPre refused it (exit 78); systemd gave up after $restarts restarts: $(unit_state), 'Start request repeated too quickly'"

step "fix the file, then the commands docs/operations.md gives: reset-failed, start"
write_config 32
documented_check >/dev/null 2>&1 || fail "the fixed config does not check"
in_container systemctl reset-failed chatd
in_container systemctl start chatd || fail "chatd did not start after the fix"
[[ "$(in_container systemctl is-active chatd)" == active ]] || fail "chatd is not active after the fix"
in_container systemctl stop chatd
pass "active again after reset-failed + start"

step "a plugin that cannot load at start: exit 78, no restart"
mkdir -p "$root/etc/systemd/system/chatd.service.d"
printf '[Service]\nExecStartPre=\n' >"$root/etc/systemd/system/chatd.service.d/no-check.conf"
in_container systemctl daemon-reload
in_container systemctl reset-failed chatd
write_config 32 "  - name: no-such-plugin"
if in_container systemctl start chatd >/dev/null 2>&1; then fail "chatd started without its plugin"; fi
main_failed() { [[ "$(unit_state)" == "failed failed exit-code" ]]; }
wait_until 30 "the unit to fail with exit-code" main_failed
[[ "$(unit_property ExecMainStatus)" == 78 ]] || fail "ExecMainStatus $(unit_property ExecMainStatus), not 78"
[[ "$(unit_property NRestarts)" == 0 ]] || fail "systemd restarted chatd after exit 78 ($(unit_property NRestarts) times)"
rm "$root/etc/systemd/system/chatd.service.d/no-check.conf"
rmdir "$root/etc/systemd/system/chatd.service.d"
in_container systemctl daemon-reload
in_container systemctl reset-failed chatd
write_config 32
pass "the daemon itself exits 78 (RestartPreventExitStatus): failed at once, NRestarts 0"

step "port 80: refused by the sandbox, served with the documented override"
sed -i 's/^  port: 8080$/  port: 80/' "$root/etc/chatd.yaml"
if in_container systemctl start chatd >/dev/null 2>&1; then fail "chatd started on port 80 without the capability"; fi
in_container systemctl stop chatd
in_container systemctl reset-failed chatd
port80_refused() { in_container journalctl -u chatd --no-pager | grep -q "Permission denied"; }
wait_until 10 "'Permission denied' for port 80 in the journal" port80_refused
mkdir -p "$root/etc/systemd/system/chatd.service.d"
printf '[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nPrivateUsers=no\n' \
  >"$root/etc/systemd/system/chatd.service.d/override.conf"
# And a short watchdog: chatd must ping every 0.5 s or be killed.
printf '[Service]\nWatchdogSec=1s\n' >"$root/etc/systemd/system/chatd.service.d/watchdog.conf"
in_container systemctl daemon-reload
in_container systemctl start chatd || fail "chatd did not start on port 80 with the override of docs/operations.md"
watchdog_pid=$(main_pid)
watchdog_stamp() { in_container systemctl show -p WatchdogTimestampMonotonic --value chatd; }
first_stamp=$(watchdog_stamp)
stamp_moved() { [[ "$(watchdog_stamp)" != "$first_stamp" ]]; }
wait_until 10 "a watchdog ping (WatchdogSec=1s)" stamp_moved
second_stamp=$(watchdog_stamp)
stamp_moved_again() { [[ "$(watchdog_stamp)" != "$second_stamp" ]]; }
wait_until 10 "a second watchdog ping" stamp_moved_again
[[ "$(main_pid)" == "$watchdog_pid" ]] || fail "the watchdog restarted chatd"
in_container grep -Eq '^CapEff:[[:space:]]+0000000000000400$' "/proc/$(main_pid)/status" || fail "CapEff is not CAP_NET_BIND_SERVICE alone"
in_container_net timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/80 && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && cat <&3' |
  grep -q '"status":"ok"' || fail "nothing served on port 80"
in_container systemctl stop chatd
rm -r "$root/etc/systemd/system/chatd.service.d"
in_container systemctl daemon-reload
write_config 32
pass "without the override: 'Permission denied' in the journal; with it: serving on 80 with CAP_NET_BIND_SERVICE only; watchdog pings"

step "chatd-dev installs against the daemon's plugin ABI"
in_container apt-get install -y -q --no-install-recommends "/debs/$(basename "$dev_deb")" >>"$work/install.log" 2>&1 || {
  tail -n 20 "$work/install.log"
  fail "installing chatd-dev"
}
pass "chatd-dev $(in_container dpkg-query -W -f '${Version}' chatd-dev) installed (Depends: $(dpkg-deb -f "$dev_deb" Depends))"

step "upgrade to a newer chatd keeps the edited /etc/chatd.yaml"
in_container systemctl start chatd
old_pid=$(main_pid)
config_sum=$(md5sum <"$root/etc/chatd.yaml")
history_inode=$(in_container stat -c %i /var/lib/chatd/history.db)
upgrade_version="$version+pkgtest1"
dpkg-deb -R "$chatd_deb" "$work/repack"
sed -i "s/^Version: .*/Version: $upgrade_version/" "$work/repack/DEBIAN/control"
dpkg-deb -b "$work/repack" "$work/debs/chatd_${upgrade_version}_upgrade.deb" >/dev/null
in_container apt-get install -y -q --no-install-recommends "/debs/chatd_${upgrade_version}_upgrade.deb" >"$work/upgrade.log" 2>&1 || {
  cat "$work/upgrade.log"
  fail "upgrading chatd"
}
[[ "$(in_container dpkg-query -W -f '${Version}' chatd)" == "$upgrade_version" ]] || fail "chatd was not upgraded"
[[ "$(md5sum <"$root/etc/chatd.yaml")" == "$config_sum" ]] || fail "the upgrade changed /etc/chatd.yaml"
[[ "$(in_container systemctl is-active chatd)" == active ]] || fail "chatd is not active after the upgrade"
[[ "$(main_pid)" != "$old_pid" ]] || fail "the upgrade did not restart chatd"
[[ "$(in_container stat -c %i /var/lib/chatd/history.db)" == "$history_inode" ]] ||
  fail "the upgrade replaced /var/lib/chatd/history.db"
client connect carol carol
client say carol after the upgrade
client expect carol AFTER THE UPGRADE!!
pass "$version -> $upgrade_version: config and history store kept, restarted, serving with it"

step "apt purge removes the service, its config and its state"
client drop carol
in_container apt-get purge -y -q chatd-dev chatd >"$work/purge.log" 2>&1 || {
  cat "$work/purge.log"
  fail "purging chatd"
}
in_container test ! -e /lib/systemd/system/chatd.service || fail "the unit is still there"
[[ "$(in_container systemctl is-active chatd || true)" != active ]] || fail "chatd still runs"
in_container systemctl daemon-reload
[[ "$(in_container systemctl show -p LoadState --value chatd)" == not-found ]] || fail "systemd still knows chatd.service"
for path in /etc/chatd.yaml /etc/logrotate.d/chatd /var/lib/chatd /usr/sbin/chatd /usr/lib/sysusers.d/chatd.conf "$plugin_dir"; do
  in_container test ! -e "$path" || fail "$path survived the purge"
done
in_container sh -c "! grep -sqE '^Uid:[[:space:]]+$chatd_uid[[:space:]]' /proc/[0-9]*/status" ||
  fail "a process of user chatd survived"
pass "unit, config, state and files gone; the chatd system user stays (Debian keeps system users)"
echo "quit" >&"${CLIENT[1]}"
step "done"

times  # CPU time (user, system) of this script, then of its children
