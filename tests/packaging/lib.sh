# Shared helpers of the packaging tests (sourced by the *_test.sh scripts):
# logging, bounded waits, the cached Debian bookworm root (mmdebstrap), and a
# booted systemd container (systemd-nspawn) that commands run in via nsenter.
# Every wait here has a deadline; nothing waits on a fixed sleep.

step() { printf '\n== [%ss] %s\n' "$SECONDS" "$*"; }
pass() { printf 'ok: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# need TOOL...: fail with the package to install when a tool is missing.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || fail "'$tool' is missing: run packaging/install-build-deps.sh --tests"
  done
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_until() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out after ${seconds}s waiting for: $what"
    sleep 0.2
  done
}

# deb_depends DEB...: the packages the .debs depend on (first alternative,
# no versions), without chatd's own and virtual ones.
deb_depends() {
  local deb
  for deb in "$@"; do dpkg-deb -f "$deb" Depends; done | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' |
    grep -v -e '^$' -e '^chatd' | sort -u
}

# ensure_root PACKAGE...: sets ROOT_CACHE to a Debian bookworm root with these
# packages, made once with mmdebstrap and kept under CHATD_TEST_CACHE
# (/var/cache/chatd-tests) keyed by a hash of the package list and mirror. A
# new key replaces the old root. Costs ~3 minutes once, nothing after.
ensure_root() {
  local cache=${CHATD_TEST_CACHE:-/var/cache/chatd-tests}
  local mirror=${CHATD_TEST_MIRROR:-http://deb.debian.org/debian}
  local security=${CHATD_TEST_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  local packages
  packages=$(printf '%s\n' "$@" | sort -u | paste -sd, -)
  local key
  key=$(printf 'bookworm minbase %s %s %s\n' "$packages" "$mirror" "$security" | sha256sum | cut -c1-16)
  ROOT_CACHE=$cache/bookworm-$key
  mkdir -p "$cache"
  exec 8>"$cache/lock"
  flock -w 1200 8 || fail "another run holds $cache/lock"
  if [[ ! -e "$ROOT_CACHE.complete" ]]; then
    step "mmdebstrap a bookworm root ($packages) into $ROOT_CACHE (once; ~3 minutes)"
    rm -rf "$ROOT_CACHE" "$ROOT_CACHE.tmp"
    timeout 1200 mmdebstrap --variant=minbase --include="$packages" bookworm "$ROOT_CACHE.tmp" \
      "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
      "deb $security bookworm-security main" </dev/null >"$cache/mmdebstrap.log" 2>&1 ||
      {
        tail -n 30 "$cache/mmdebstrap.log"
        fail "mmdebstrap failed (log: $cache/mmdebstrap.log)"
      }
    mv "$ROOT_CACHE.tmp" "$ROOT_CACHE"
    touch "$ROOT_CACHE.complete"
    local old
    for old in "$cache"/bookworm-*.complete; do
      [[ "$old" == "$ROOT_CACHE.complete" ]] && continue
      rm -rf "${old%.complete}" "$old"
    done
  else
    pass "cached bookworm root $ROOT_CACHE"
  fi
  flock -u 8
}

# boot_container ROOT LOG [nspawn options...]: boots systemd in ROOT with its
# own network namespace (only a loopback), sets NSPAWN_PID and LEADER (the
# container's PID 1 as seen from here) and waits until boot finished.
boot_container() {
  local root=$1 log=$2
  shift 2
  systemd-nspawn --register=no --keep-unit --private-network --console=read-only -q \
    -D "$root" "$@" -b </dev/null >"$log" 2>&1 &
  NSPAWN_PID=$!
  LEADER=""
  local deadline=$((SECONDS + 60))
  while [[ -z "$LEADER" ]]; do
    kill -0 "$NSPAWN_PID" 2>/dev/null || {
      cat "$log"
      fail "systemd-nspawn exited during boot"
    }
    ((SECONDS < deadline)) || fail "no container init after 60s"
    LEADER=$(pgrep -P "$NSPAWN_PID" -x systemd || true)
    [[ -n "$LEADER" ]] || sleep 0.2
  done
  wait_until 60 "systemd's private socket in the container" in_container test -S /run/systemd/private
  local state
  state=$(timeout 120 nsenter --target "$LEADER" --all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    systemctl is-system-running --wait 2>&1 || true)
  [[ "$state" == running || "$state" == degraded ]] || {
    tail -n 40 "$log"
    fail "container boot ended in state '$state'"
  }
  [[ "$state" == running ]] || in_container systemctl --failed --no-pager >&2 || true
  pass "systemd booted in the container (pid $LEADER here, state $state)"
}

# in_container COMMAND...: runs COMMAND in every namespace of the container.
in_container() {
  nsenter --target "$LEADER" --all env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

# in_container_net COMMAND...: runs a host program in the container's network
# namespace only (it sees the container's 127.0.0.1).
in_container_net() {
  nsenter --target "$LEADER" --net "$@"
}

# stop_container: orderly shutdown (SIGTERM makes nspawn power the container
# off), SIGKILL after 30 s.
stop_container() {
  [[ -n "${NSPAWN_PID:-}" ]] || return 0
  kill -TERM "$NSPAWN_PID" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$NSPAWN_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -KILL "$NSPAWN_PID" 2>/dev/null || true
  wait "$NSPAWN_PID" 2>/dev/null || true
  NSPAWN_PID=""
}
