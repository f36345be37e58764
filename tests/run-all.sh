#!/usr/bin/env bash
# Builds chatd twice (release, and ASan+UBSan) and runs the whole test suite
# through ctest: unit, integration, end-to-end and browser tests. The last
# thing printed is ctest's summary of the full run. Usage: tests/run-all.sh
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

packaging/install-build-deps.sh --tests || exit 1

configure_and_build() {  # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" -j "$jobs"
}

status=0
mkdir -p build build-asan
echo "== build (sanitizers: address, undefined)"
configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCHATD_SANITIZE=ON || exit 1
echo "== build (release)"
configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo || exit 1

echo "== tests under ASan+UBSan (all but the browser and packaging tests)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest -j "$jobs" --output-on-failure -LE 'browser|packaging') || status=1

echo "== all tests (release build)"
(cd build && ctest -j "$jobs" --output-on-failure) || status=1
exit $status
