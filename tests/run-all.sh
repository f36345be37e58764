#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run). Builds chatd four ways and
# runs every test through ctest:
#   build-asan  Debug, ASan+UBSan: all but the browser and packaging tests
#               (the soak in its smaller sanitizer form)
#   build-tsan  ThreadSanitizer: only what the integration and chat core tests
#               need; they run
#   build-fuzz  clang + libFuzzer: the four fuzzers, 60 s each, two at a time
#   build       RelWithDebInfo: everything (unit, integration, e2e, Redis,
#               plugins, bench smoke, soak, TLS through nginx, browser, packaging)
# The last thing printed is ctest's summary of the full release run; the exit
# status is non-zero when any stage failed. Under an hour on 2 cores (stages measured: ASan build 13 min,
# ASan tests 3, TSan build and tests 7, release tests 5 plus 16 for the packages with a fresh root).
# Usage: tests/run-all.sh
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
started=$SECONDS

packaging/install-build-deps.sh --tests || exit 1

configure_and_build() {  # dir, extra cmake args... [-- build targets...]
  local dir=$1; shift
  local configure=() targets=()
  while [[ $# -gt 0 && $1 != -- ]]; do configure+=("$1"); shift; done
  [[ ${1:-} == -- ]] && { shift; targets=("$@"); }
  mkdir -p "$dir"
  cmake -S . -B "$dir" -G Ninja "${configure[@]}" >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" -j "$jobs" ${targets[@]:+--target "${targets[@]}"}
}
stage() { echo "== $* ($(( (SECONDS - started) / 60 )) min in)"; }

status=0
stage "build (sanitizers: address, undefined)"
configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DCHATD_SANITIZE=ON -DCHATD_WERROR=ON || exit 1
stage "build (release)"
configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHATD_WERROR=ON || exit 1

stage "tests under ASan+UBSan (all but browser and packaging; soak in its sanitizer form)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest -j "$jobs" --output-on-failure -LE 'browser|packaging') || status=1

stage "integration, chat core and history store tests under ThreadSanitizer"
# Only the targets these tests need (~1/3 of a full build).
configure_and_build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHATD_SANITIZE_THREAD=ON -DCHATD_WERROR=ON \
  -- integration_tests chat_tests history_tests || exit 1
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/../tests/tsan.supp" \
   ctest -j "$jobs" --output-on-failure -R '^(integration|chat|history)\.') || status=1

stage "fuzzers (libFuzzer, clang; 60 s each, two at a time)"
CC=clang CXX=clang++ configure_and_build build-fuzz -DCHATD_FUZZ=ON -DCHATD_BUILD_TESTS=OFF -DCHATD_FUZZ_SECONDS=60 \
  -- frame_decoder_fuzzer request_decoder_fuzzer config_loader_fuzzer path_resolver_fuzzer || exit 1
(cd build-fuzz && ctest -j "$jobs" --output-on-failure -L fuzz) || status=1

stage "all tests (release build: unit ... soak.short, tls, packaging, browser)"
(cd build && ctest -j "$jobs" --output-on-failure) || status=1
exit $status
