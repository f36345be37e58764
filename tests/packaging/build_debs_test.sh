#!/usr/bin/env bash
# Packaging.BuildDebs: builds the Debian packages with packaging/build-deb.sh
# into OUT (the fixture the other packaging tests use), then checks what they
# hold: the files, the conffile, the plugin-ABI relation between chatd and
# chatd-dev, and Multi-Arch. Leaves nothing in the source tree (checked with
# git status). Usage: build_debs_test.sh SOURCE_DIR OUT_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
src=$1 out=$2
need dpkg-buildpackage dh dpkg-deb git

# What git sees of the folders a Debian build could write to (the rest of the
# tree may be under edit while a developer runs this).
tree_state() {
  git -C "$src" status --porcelain --untracked-files=all --ignored -- debian 'obj-*' packaging systemd 2>/dev/null | sort
}
before=$(tree_state)

step "packaging/build-deb.sh (compiles chatd; ~4-6 minutes on 2 cores)"
mkdir -p "$out"
"$src/packaging/build-deb.sh" --out "$out" --log "$out/dpkg-buildpackage.log"

after=$(tree_state)
[[ "$before" == "$after" ]] || fail "the build changed the source tree: $(diff <(echo "$before") <(echo "$after"))"
pass "the source tree is unchanged"

chatd_deb=$(ls "$out"/chatd_*.deb)
dev_deb=$(ls "$out"/chatd-dev_*.deb)
abi=$(sed -n 's/^#define CHATD_PLUGIN_ABI_VERSION \([0-9][0-9]*\)u\{0,1\}$/\1/p' "$src/plugins/sdk/include/chatd/plugin_abi.h")
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

step "chatd: files, conffile, provides"
contents=$(dpkg-deb -c "$chatd_deb" | awk '{print $6}' | sed 's|^\./|/|')
for path in /usr/sbin/chatd /etc/chatd.yaml /lib/systemd/system/chatd.service /usr/lib/sysusers.d/chatd.conf \
  /usr/share/man/man8/chatd.8.gz /usr/share/chatd/public/index.html /usr/share/doc/chatd/operations.md \
  /usr/share/doc/chatd/copyright "/usr/lib/$multiarch/chatd/plugins/logging.so" /etc/logrotate.d/chatd \
  "/usr/lib/$multiarch/chatd/plugins/filter.so" "/usr/lib/$multiarch/chatd/plugins/ratelimit.so" \
  /usr/bin/chatdctl /usr/share/man/man8/chatdctl.8.gz /usr/share/bash-completion/completions/chatdctl; do
  grep -qx "$path" <<<"$contents" || fail "chatd lacks $path"
done
# Every page the installed docs link to, and the plugin READMEs that
# /etc/chatd.yaml and plugins.md name.
while read -r link; do
  grep -qx "/usr/share/doc/chatd/$link" <<<"$contents" || fail "an installed doc links $link, which chatd lacks"
done < <(sed 's|^|'"$src"'/|' "$src/packaging/debian/chatd.docs" | grep '\.md$' | xargs grep -oh '](\(README\.[a-z]*\|[a-z]*\)\.md' |
  sed 's/^](//' | sort -u)
for plugin in logging filter ratelimit hello announce; do
  grep -qx "/usr/share/doc/chatd/README.$plugin.md" <<<"$contents" || fail "chatd lacks README.$plugin.md"
done
dpkg-deb -I "$chatd_deb" conffiles | grep -qx /etc/logrotate.d/chatd || fail "/etc/logrotate.d/chatd is not a conffile"
if [[ -f "$src/bench/CMakeLists.txt" ]]; then
  for path in /usr/bin/chatd-bench /usr/share/man/man1/chatd-bench.1.gz; do
    grep -qx "$path" <<<"$contents" || fail "chatd lacks $path"
  done
fi
dpkg-deb -I "$chatd_deb" conffiles | grep -qx /etc/chatd.yaml || fail "/etc/chatd.yaml is not a conffile"
[[ "$(dpkg-deb -f "$chatd_deb" Provides)" == *"chatd-abi-$abi"* ]] || fail "chatd does not provide chatd-abi-$abi"
dpkg-deb -I "$chatd_deb" postinst | grep -q systemd-sysusers || fail "postinst does not create the chatd user"
pass "chatd holds the daemon, chatdctl (man page, bash completion), plugins, page, conffile, logrotate rule, unit, sysusers entry, man page, every linked doc; Provides chatd-abi-$abi"

step "chatd-dev: headers, CMake package, ABI dependency, Multi-Arch"
dev_contents=$(dpkg-deb -c "$dev_deb" | awk '{print $6}' | sed 's|^\./|/|')
for path in /usr/include/chatd/plugin_abi.h /usr/include/chatd/plugin.hpp /usr/include/chatd/testing/fake_host.hpp \
  "/usr/lib/$multiarch/cmake/chatd/chatdConfig.cmake" "/usr/lib/$multiarch/cmake/chatd/chatdPlugin.cmake" \
  "/usr/lib/$multiarch/cmake/chatd/chatdPlugin.map" \
  "/usr/lib/$multiarch/cmake/chatd/chatdTargets.cmake" /usr/share/doc/chatd-dev/examples/hello/CMakeLists.txt \
  /usr/share/doc/chatd-dev/examples/hello/hello.cpp /usr/share/doc/chatd-dev/examples/hello/hello_test.cpp \
  /usr/share/doc/chatd-dev/examples/announce/CMakeLists.txt /usr/share/doc/chatd-dev/examples/announce/announce.cpp \
  /usr/share/doc/chatd-dev/examples/announce/announce_test.cpp /usr/include/chatd/json.hpp; do
  grep -qx "$path" <<<"$dev_contents" || fail "chatd-dev lacks $path"
done
[[ "$(dpkg-deb -f "$dev_deb" Depends)" == *"chatd-abi-$abi"* ]] || fail "chatd-dev does not depend on chatd-abi-$abi"
[[ "$(dpkg-deb -f "$dev_deb" Multi-Arch)" == same ]] || fail "chatd-dev is not Multi-Arch: same"
pass "chatd-dev holds the SDK, the CMake package and the hello and announce examples; Depends chatd-abi-$abi; Multi-Arch: same"

ls -l "$out"/*.deb
step "done"
times  # CPU time (user, system) of this script, then of its children
