#!/usr/bin/env bash
# Packaging.Lintian: lintian over the source and binary packages of the last
# build (the .changes file in OUT): no error and no warning may be reported.
# Informational tags are printed but do not fail. ~1-2 minutes.
# Usage: lintian_test.sh OUT_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
out=$1
need lintian

changes=$(ls "$out"/chatd_*.changes)
step "lintian --fail-on error,warning $(basename "$changes")"
# --tag-display-limit 0 --allow-root: every instance; -i: the explanation of each tag shown.
if lintian --fail-on error,warning --display-info --tag-display-limit 0 --allow-root "$changes"; then
  pass "lintian: no errors, no warnings (source and binaries)"
else
  fail "lintian reported errors or warnings (above)"
fi
