#!/usr/bin/env bash
# Builds the libFuzzer targets (if needed) and runs each one for SECONDS:
# its regressions are replayed first, then it fuzzes a copy of the seed
# corpus kept in the build dir (the repo is never written to). Prints each
# target's figures; exits non-zero if any target crashed, timed out or ran
# out of memory (the crashing input is left in <build>/tests/fuzz/work/artifacts-<target>/).
#
# Usage: tests/fuzz/run.sh SECONDS [TARGET...]
#   TARGET: frame_decoder request_decoder config_loader path_resolver (default: all)
#   CHATD_FUZZ_BUILD_DIR: build dir (default: build-fuzz at the repo's top)
set -uo pipefail
if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [TARGET...]" >&2
  exit 64
fi
seconds=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${CHATD_FUZZ_BUILD_DIR:-$repo/build-fuzz}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(frame_decoder request_decoder config_loader path_resolver)

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja \
    -DCHATD_FUZZ=ON -DCHATD_BUILD_TESTS=OFF >"$build.configure.log" 2>&1 \
    || { cat "$build.configure.log"; exit 1; }
fi
cmake --build "$build" --target "${targets[@]/%/_fuzzer}" || exit 1

failed=()
for target in "${targets[@]}"; do
  "$here/run_fuzzer.sh" "$build/tests/fuzz/${target}_fuzzer" "$target" "$seconds" "$here" \
    "$build/tests/fuzz/work" || failed+=("$target")
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzzing FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzzing passed: ${targets[*]} (${seconds}s each)"
