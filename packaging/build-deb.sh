#!/usr/bin/env bash
# Builds the chatd Debian packages (chatd, chatd-dev, their -dbgsym and the
# source package) with debhelper and dpkg-buildpackage -us -uc.
#
# The source tree is never written to: what git sees (tracked files and
# untracked ones that are not ignored) is copied to OUT/chatd-VERSION/, the
# packaging sources (packaging/debian, the unit and the sysusers entry from
# systemd/) become its real debian/ folder, and dpkg-buildpackage runs there;
# the packages land in OUT. The last line printed is "debs in: OUT".
#
# Usage: packaging/build-deb.sh [--out DIR] [--version V] [--jobs N] [--log FILE]
#   --out DIR     where the packages go (default: build-deb/ in the source tree)
#   --version V   build as version V (a changelog entry is added to the copy);
#                 default: the newest debian/changelog entry, which must match
#                 the version in CMakeLists.txt
#   --jobs N      parallel compile jobs (default: the number of CPUs)
#   --log FILE    send dpkg-buildpackage's output to FILE (printed on failure)
# Needs: packaging/install-build-deps.sh --packaging (debhelper, dpkg-dev, ...).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/build-deb
version=""
jobs=$(nproc)
log=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    *) echo "usage: $0 [--out DIR] [--version V] [--jobs N] [--log FILE]" >&2; exit 64 ;;
  esac
done

for tool in dpkg-buildpackage dh dpkg-parsechangelog git; do
  command -v "$tool" >/dev/null || { echo "build-deb: '$tool' is missing: run packaging/install-build-deps.sh --packaging" >&2; exit 1; }
done

changelog_version=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
cmake_version=$(sed -n 's/^project(chatd VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
if [[ "${changelog_version%%[+~-]*}" != "$cmake_version" ]]; then
  echo "build-deb: packaging/debian/changelog is at $changelog_version but CMakeLists.txt at $cmake_version: add a changelog entry" >&2
  exit 1
fi
version=${version:-$changelog_version}

mkdir -p "$out"
out=$(cd "$out" && pwd)
case "$out/" in "$src"/build*/*) ;; "$src"/*) echo "build-deb: --out inside the source tree must be under build*/ (ignored by git)" >&2; exit 1 ;; esac
tree=$out/chatd-$version
rm -rf "$out"/chatd-*/ "$out"/chatd*_*.deb "$out"/chatd*_*.ddeb "$out"/chatd_*.dsc "$out"/chatd_*.tar.* \
       "$out"/chatd_*.buildinfo "$out"/chatd_*.changes
mkdir -p "$tree"

# The source as git sees it, without files deleted from the work tree.
(cd "$src" && git ls-files -z --cached --others --exclude-standard \
   | while IFS= read -r -d '' file; do [[ -e "$file" || -L "$file" ]] && printf '%s\0' "$file"; done \
   | grep -zv '^packaging/debian/' \
   | tar --null --files-from=- --create --file=- ) | tar -C "$tree" -xf -
cp -a "$src/packaging/debian" "$tree/debian"
cp "$src/systemd/chatd.service" "$tree/debian/chatd.service"
cp "$src/systemd/chatd.sysusers" "$tree/debian/chatd.sysusers"

if [[ "$version" != "$changelog_version" ]]; then
  entry=$(printf 'chatd (%s) unstable; urgency=medium\n\n  * Build of %s as %s.\n\n -- %s  %s\n\n' \
    "$version" "$changelog_version" "$version" \
    "$(dpkg-parsechangelog -l "$tree/debian/changelog" -S Maintainer)" "$(date -R)")
  printf '%s\n' "$entry" | cat - "$src/packaging/debian/changelog" > "$tree/debian/changelog"
fi

echo "build-deb: building chatd $version in $tree ($jobs jobs)"
build=(dpkg-buildpackage -us -uc "-j$jobs")
if [[ -n "$log" ]]; then
  if ! (cd "$tree" && "${build[@]}") >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "build-deb: dpkg-buildpackage failed; full output in $log" >&2
    exit 1
  fi
else
  (cd "$tree" && "${build[@]}")
fi
rm -rf "$tree"
ls -1 "$out"/*.deb
echo "debs in: $out"
