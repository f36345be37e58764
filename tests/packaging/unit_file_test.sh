#!/usr/bin/env bash
# Packaging.UnitFile: the service unit on the host, without booting anything.
#  - `systemd-analyze verify` must print nothing (it exits 0 on many
#    problems, so any output fails), run over the chatd package unpacked on a
#    root that holds the host's system units, with the package's man pages;
#  - `systemd-analyze security --offline=yes` of systemd/chatd.service must
#    rate the exposure at 2.0 or less.
# Seconds. Usage: unit_file_test.sh SOURCE_DIR DEBS_DIR WORK_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
src=$1 debs=$2 work=$3
need systemd-analyze dpkg-deb man

rm -rf "$work"
mkdir -p "$work/root/lib/systemd"
cp -a /lib/systemd/system "$work/root/lib/systemd/"
dpkg-deb -x "$(ls "$debs"/chatd_*.deb)" "$work/root"
cmp -s "$src/systemd/chatd.service" "$work/root/lib/systemd/system/chatd.service" ||
  fail "the package's unit differs from systemd/chatd.service"

step "systemd-analyze verify chatd.service (packaged, on a root with the host's units)"
verify=$(MANPATH="$work/root/usr/share/man" systemd-analyze verify --root="$work/root" chatd.service 2>&1) ||
  fail "systemd-analyze verify failed: $verify"
[[ -z "$verify" ]] || fail "systemd-analyze verify printed: $verify"
pass "verify printed nothing"

step "systemd-analyze security --offline=yes systemd/chatd.service"
report=$(systemd-analyze security --offline=yes --threshold=20 "$src/systemd/chatd.service" 2>&1) || {
  echo "$report"
  fail "exposure above 2.0"
}
grep '✗' <<<"$report" || true
exposure=$(sed -n 's/.*Overall exposure level for chatd.service: \([0-9.]*\).*/\1/p' <<<"$report")
[[ -n "$exposure" ]] || fail "no exposure level in: $report"
pass "exposure $exposure (threshold 2.0); the open items are listed above"
