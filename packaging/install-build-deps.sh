#!/usr/bin/env bash
# Installs what chatd needs to build and test on Debian 12 (bookworm), from
# Debian's packages only. Safe to run again: it does nothing when all is there.
# Usage: packaging/install-build-deps.sh [--packaging] [--tests]
#   --packaging  what packaging/build-deb.sh needs (debhelper, dpkg-dev)
#   --tests      everything the whole test suite needs: the packaging tools and
#                their checkers (lintian, mmdebstrap, systemd-nspawn), redis-server
#                and nginx (the tests start their own on free ports; the
#                packages' own services are not started), promtool (prometheus), clang for the
#                fuzzers, and the browser test tools (Chromium, Node.js and
#                npm when node is missing)
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config git
          libpoco-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
          libgtest-dev libgmock-dev libhiredis-dev libsystemd-dev libsqlite3-dev)
packaging=(debhelper dpkg-dev)
for option in "$@"; do
  case $option in
    --packaging) packages+=("${packaging[@]}") ;;
    --tests)
      packages+=("${packaging[@]}" lintian mmdebstrap systemd systemd-container man-db procps redis-server
                nginx-light openssl libssl-dev prometheus clang libclang-rt-14-dev llvm chromium)
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    *) echo "usage: $0 [--packaging] [--tests]" >&2; exit 64 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

as_root=()
[[ $(id -u) -ne 0 ]] && as_root=(sudo)
echo "installing: ${missing[*]}"
# On a fresh VM apt-daily may hold dpkg's lock for minutes: wait for it.
lock_wait=(-o DPkg::Lock::Timeout=600)
"${as_root[@]}" apt-get "${lock_wait[@]}" -o Acquire::Retries=3 update -q
# Test tools only: keep their packages' services (redis-server, nginx) from
# starting on their default ports; the tests start their own. policy-rc.d is
# what invoke-rc.d and deb-systemd-invoke ask before starting a service.
policy=/usr/sbin/policy-rc.d
if [[ " $* " == *" --tests "* && ! -e $policy ]]; then
  trap '"${as_root[@]}" rm -f "$policy"' EXIT
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
fi
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get "${lock_wait[@]}" install -y -q --no-install-recommends "${missing[@]}"
