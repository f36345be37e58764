#!/usr/bin/env bash
# Installs what chatd needs to build and test on Debian 12 (bookworm), from
# Debian's packages only. Safe to run again: it does nothing when all is there.
# Usage: packaging/install-build-deps.sh [--tests]   (--tests adds the browser
# test tools: Chromium, Node.js and npm when node is missing)
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config git
          libpoco-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
          libgtest-dev libgmock-dev libhiredis-dev libsystemd-dev)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(chromium)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

as_root=()
[[ $(id -u) -ne 0 ]] && as_root=(sudo)
echo "installing: ${missing[*]}"
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
