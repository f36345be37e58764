#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time: first replays every file of
# its regressions folder once, then fuzzes a working corpus in the build dir
# (the repo's seeds copied in; the repo is never written to). Prints the
# run's figures; exits non-zero on any crash, timeout, OOM or leak.
#
# Usage: run_fuzzer.sh FUZZER_BINARY NAME SECONDS SOURCE_DIR WORK_DIR
#   SOURCE_DIR is tests/fuzz (corpus/NAME, regressions/NAME, dict/NAME.dict)
#   WORK_DIR keeps corpus-NAME/ between runs and artifacts-NAME/ (crashers)
set -uo pipefail
if [ $# -ne 5 ]; then
  echo "usage: $0 FUZZER_BINARY NAME SECONDS SOURCE_DIR WORK_DIR" >&2
  exit 64
fi
fuzzer=$1 name=$2 seconds=$3 source_dir=$4 work_dir=$5

corpus="$work_dir/corpus-$name"
artifacts="$work_dir/artifacts-$name"
log="$work_dir/$name.log"
mkdir -p "$corpus" "$artifacts"
# Seeds from the repo join whatever earlier runs found (-n: keep ours).
cp -n "$source_dir/corpus/$name"/* "$corpus"/ 2>/dev/null || true

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Inputs up to a bit over the decoder's 64 KiB default limit for frames, a
# JSON frame's worth for requests; config files and paths stay small.
case $name in
  frame_decoder) max_len=70000 ;;
  request_decoder) max_len=16384 ;;
  *) max_len=4096 ;;
esac
# The timeout is wall-clock time: generous, so that a fuzzer at nice 19 on a
# busy machine is not failed for waiting its turn (a hang still trips it).
timeout=${CHATD_FUZZ_TIMEOUT:-60}
common=("-timeout=$timeout" -rss_limit_mb=2048 -malloc_limit_mb=2048 "-max_len=$max_len" "-artifact_prefix=$artifacts/")
dict="$source_dir/dict/$name.dict"
[ -f "$dict" ] && common+=("-dict=$dict")

# 1. Every regression, replayed once each (files as arguments = no fuzzing).
regressions=("$source_dir/regressions/$name"/*)
if [ -e "${regressions[0]}" ]; then
  if ! "$fuzzer" "${common[@]}" "${regressions[@]}" >"$log.replay" 2>&1; then
    tail -n 60 "$log.replay"
    echo "FAIL $name: a regression input crashes again (log: $log.replay)"
    exit 1
  fi
  echo "$name: ${#regressions[@]} regression input(s) replayed, all pass"
fi

# 2. Fuzzing for the given time.
before=$(find "$corpus" -type f | wc -l)
start=$(date +%s)
TIMEFORMAT='%U %S'  # user and system CPU seconds, from bash's `time`
{ time "$fuzzer" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 "$corpus" >"$log" 2>&1; } \
  2>"$log.cpu"
status=$?
elapsed=$(($(date +%s) - start))
cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$log.cpu")
after=$(find "$corpus" -type f | wc -l)

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
echo "$name: ${elapsed}s cpu=${cpu}s execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=${before}->${after} files peak_rss=${rss:-?}MB"

if [ $status -ne 0 ]; then
  grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -n 20
  tail -n 40 "$log"
  echo "FAIL $name: the fuzzer stopped with status $status; crasher in $artifacts/ (log: $log)"
  exit 1
fi
echo "PASS $name"
