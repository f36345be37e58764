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

log="$work_dir/$name.log"
# shellcheck source=fuzz_setup.sh
source "$(dirname "$0")/fuzz_setup.sh"  # corpus, artifacts, fuzz_options

# 1. Every regression, replayed once each (files as arguments = no fuzzing).
regressions=("$source_dir/regressions/$name"/*)
if [ -e "${regressions[0]}" ]; then
  if ! "$fuzzer" "${fuzz_options[@]}" "${regressions[@]}" >"$log.replay" 2>&1; then
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
{ time "$fuzzer" "${fuzz_options[@]}" -max_total_time="$seconds" -print_final_stats=1 "$corpus" >"$log" 2>&1; } \
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
