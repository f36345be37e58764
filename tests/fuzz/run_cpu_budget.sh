#!/usr/bin/env bash
# Runs one libFuzzer target until it has used a given amount of CPU time
# (user + system, read from /proc), not wall time: on a shared or niced
# machine, -max_total_time says little about how much fuzzing was done.
# When the budget is spent the fuzzer gets SIGUSR1 (libFuzzer's graceful
# exit) and prints its final stats. Fuzzes the same working corpus as
# run_fuzzer.sh, so a long run builds on the CI runs and vice versa.
#
# Usage: run_cpu_budget.sh FUZZER_BINARY NAME CPU_SECONDS SOURCE_DIR WORK_DIR
#   e.g. nice -n 19 tests/fuzz/run_cpu_budget.sh build-fuzz/tests/fuzz/frame_decoder_fuzzer \
#          frame_decoder 600 tests/fuzz build-fuzz/tests/fuzz/work
# Prints one line of figures; exits non-zero if the fuzzer found anything.
set -uo pipefail
if [ $# -ne 5 ] || ! [[ $3 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 FUZZER_BINARY NAME CPU_SECONDS SOURCE_DIR WORK_DIR" >&2
  exit 64
fi
fuzzer=$1 name=$2 budget=$3 source_dir=$4 work_dir=$5

log="$work_dir/$name.budget.log"
# shellcheck source=fuzz_setup.sh
source "$(dirname "$0")/fuzz_setup.sh"  # corpus, artifacts, fuzz_options
options=("${fuzz_options[@]}" -print_final_stats=1)

# CPU seconds (utime + stime) of a live process, from /proc/PID/stat.
cpu_seconds() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # Fields after the ")" that closes the command name: utime is the 12th, stime the 13th.
  awk -v ticks="$(getconf CLK_TCK)" '{ printf "%d", ($12 + $13) / ticks }' <<<"${stat##*) }"
}

before=$(find "$corpus" -type f | wc -l)
start=$(date +%s)
"$fuzzer" "${options[@]}" "$corpus" >"$log" 2>&1 &
pid=$!
used=0
while kill -0 "$pid" 2>/dev/null; do
  now=$(cpu_seconds "$pid") || break
  used=$now
  if [ "$used" -ge "$budget" ]; then
    kill -USR1 "$pid"
    break
  fi
  sleep 5
done
wait "$pid"
status=$?
elapsed=$(($(date +%s) - start))
after=$(find "$corpus" -type f | wc -l)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
echo "$name: cpu=${used}s wall=${elapsed}s execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=${before}->${after} status=$status"
if [ $status -ne 0 ]; then
  grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' "$log" | head -n 20
  echo "FAIL $name: crasher in $artifacts/ (log: $log)"
  exit 1
fi
