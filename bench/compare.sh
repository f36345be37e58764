#!/usr/bin/env bash
# Runs chatd and the reference server (the tutorial's Node.js + ws design,
# bench/reference/) side by side in one run and prints the comparison as a
# table of medians and ratios. Each server is pinned to CPU 0 (taskset -c 0),
# chatd-bench to CPU 1; every scenario runs chatd then the reference, and the
# whole set is repeated (3 times; --quick: once, short and small). A fresh
# server is started for every run, on a free port it picks itself.
# chatd runs with its default durable history (the SQLite store, in a fresh
# state directory for every run); the efficiency and chat scenarios also run
# chatd with `history: {store: memory}` (rows "durable history"), to show
# what the store costs, in the same run.
#
# Usage: bench/compare.sh [--quick] [--reps N] [--chatd PATH] [--bench PATH]
#                         [--plugin-dir DIR] [--out FILE] [--json-scale] [--redis] [--redis-only]
#                         [--history-only] [--scoped-only] [--bigroom-only] [--churn-only]
#                         [--flood-only] [--json-only]
#   --chatd PATH     chatd binary      (env CHATD_BIN;   default build/daemon/chatd)
#   --bench PATH     chatd-bench       (env CHATD_BENCH; default build/bench/chatd-bench/chatd-bench)
#   --plugin-dir DIR where logging.so, filter.so, ratelimit.so are (default: chatd's built-in)
#   --out FILE       also write every run's JSON line there (tagged with scenario/server/rep)
#   --json-scale     add a chatd.v1 (JSON mode) row at the scale size (slow: joins cost O(N^2);
#                    at 19,000 it does not complete today, see docs/performance.md)
#   --redis          also the cross-instance rows (bench/compare_redis.sh: one chatd with the memory
#                    bus, one on Redis, two on one Redis with the clients split; needs redis-server)
#   --redis-only     only the cross-instance rows (full: about 3 minutes per repetition)
#   --history-only   only the durable history rows: efficiency and chat, chatd with the store
#                    and with history in memory (full: about 1.5 minutes per repetition)
#   --scoped-only    only the per-room scoping rows: efficiency with no plugins against the three
#                    shipped plugins scoped (`rooms:`) to another room than the benchmark's, both
#                    with history in memory (issue 14's bar: a scoped plugin costs the others nothing)
#   --bigroom-only   only the big room (chatd.v1): filled to 19,000 members (every join answered
#                    within 15 s, none closed, RSS < 100 MB), then 1,000 of them x 1 msg/s for 30 s
#   --churn-only     only the churn: 1,000 members leave and join again (200/s in all) while
#                    1,000 others chat at 1 msg/s (their p99 < 100 ms)
#   --flood-only     only the flood: 100 flooders in 10 rooms of their own beside 1,000 members
#                    chatting (peak RSS <= 100 MB or env CHATD_FLOOD_RSS_MB; p99 <= 2x unflooded)
#   --json-only      only the chatd.v1 saturation row against the reference (>= 12x per CPU-s)
# The -only options combine; the full run has every group but the scoped and cross-instance
# rows. The big-room rows are described in bench/compare_bigroom.sh.
# Full run: about 25-35 minutes on 2 cores; --quick: about 2 minutes.
# Needs: bash, node + npm (the reference's `ws` is installed with `npm ci` into
# ${CHATD_BENCH_CACHE:-~/.cache/chatd-bench}, never into the source tree), taskset, awk.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
chatd=${CHATD_BIN:-$repo/build/daemon/chatd}
bench=${CHATD_BENCH:-$repo/build/bench/chatd-bench/chatd-bench}
plugin_dir=""
out=""
quick=0
reps=3
reps_given=0
json_scale=0
redis=0
only=""  # the row groups given with --X-only; empty: the full run

die() { echo "compare.sh: $*" >&2; exit 64; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --reps) reps=${2:?--reps needs a number}; reps_given=1; shift ;;
    --chatd) chatd=${2:?--chatd needs a path}; shift ;;
    --bench) bench=${2:?--bench needs a path}; shift ;;
    --plugin-dir) plugin_dir=${2:?--plugin-dir needs a directory}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    --json-scale) json_scale=1 ;;
    --redis) redis=1 ;;
    --redis-only) only+=" redis" ;;
    --history-only) only+=" history" ;;
    --scoped-only) only+=" scoped" ;;
    --bigroom-only) only+=" bigroom" ;;
    --churn-only) only+=" churn" ;;
    --flood-only) only+=" flood" ;;
    --json-only) only+=" json" ;;
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps: expected a positive number, got '$reps'"
# Absolute: the plugins server runs in $tmp.
if [[ -n $plugin_dir ]]; then plugin_dir=$(cd "$plugin_dir" && pwd) || die "--plugin-dir: no directory $plugin_dir"; fi
[[ -x $chatd ]] || die "no chatd binary at $chatd (build it, or give --chatd / CHATD_BIN)"
[[ -x $bench ]] || die "no chatd-bench binary at $bench (build it, or give --bench / CHATD_BENCH)"
command -v node >/dev/null || die "node is needed for the reference server"
command -v npm >/dev/null || die "npm is needed to install the reference server's ws"

# Sizes and times: full, or --quick (a smoke run of the same rows).
if [[ $quick == 1 ]]; then
  [[ $reps_given == 1 ]] || reps=1
  clients=200; big=2000; duration=2; drain=3
else
  clients=1000; big=19000; duration=10; drain=10
fi

# --- pinning --------------------------------------------------------------
# Linux schedules by session first (autogroup): on a machine where other
# sessions are busy, a server gets only its session's share of a core. Each
# server and each generator run therefore starts a session of its own, and as
# root that session gets autogroup nice -10 (the same for both servers), so
# background work disturbs the figures less. On a quiet machine this changes nothing.
server_cpu=(); bench_cpu=()
if command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  server_cpu=(taskset -c 0); bench_cpu=(taskset -c 1)
else
  echo "compare.sh: fewer than 2 CPUs or no taskset: servers and generator are NOT pinned" >&2
fi
boost=()
if command -v setsid >/dev/null; then
  boost=(setsid sh -c 'echo -10 >/proc/self/autogroup 2>/dev/null; exec "$@"' sh)
fi
server_cpu=("${boost[@]}" "${server_cpu[@]}"); bench_cpu=("${boost[@]}" "${bench_cpu[@]}")

# The cross-instance rows (--redis, --redis-only): redis_rows, redis_table, stop_redis_rows.
# shellcheck source=bench/compare_redis.sh
source "$here/compare_redis.sh"

# The big-room rows: bigroom_rows, churn_rows, flood_rows and their tables.
# shellcheck source=bench/compare_bigroom.sh
source "$here/compare_bigroom.sh"
# wants GROUP: whether this run has GROUP's rows (the full run: all but scoped and redis).
wants() { if [[ -z $only ]]; then [[ $1 != scoped && $1 != redis ]]; else [[ " $only " == *" $1 "* ]]; fi; }

# --- cleanup: every process we started is ended by its pid ----------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/chatd-compare.XXXXXX")
server_pid=""
# Ends the running server, if any: TERM, then KILL after 5 s.
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
# shellcheck disable=SC2317  # called through the trap
cleanup() {
  stop_server
  stop_redis_rows
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the reference server's dependency, installed outside the source tree --
cache=${CHATD_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/chatd-bench}/reference
if ! cmp -s "$here/reference/package-lock.json" "$cache/package-lock.json" || [[ ! -d $cache/node_modules/ws ]]; then
  mkdir -p "$cache"
  cp "$here/reference/package.json" "$here/reference/package-lock.json" "$cache/"
  echo "installing the reference server's ws into $cache" >&2
  (cd "$cache" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
fi

# --- configurations --------------------------------------------------------
# One IO loop and one hub shard: the server gets one core. No rate limit in the
# way: the default config's ratelimit (2/s, burst 10) would reject benchmark
# traffic, so the "default plugins" config keeps logging + filter + ratelimit
# as etc/chatd.yaml has them but with a limit the benchmark never reaches.
# No message pacing either (limits.session_messages_per_second: 0): these rows
# measure the engine, and 10 msg/s per client would measure the pacing. The
# flood row alone runs with the shipped pacing (chatd-flood.yaml): flood
# control is what it measures.
base_yaml="listen:
  address: 127.0.0.1
  port: 0
threads:
  io: 1
  hub: 1
limits:
  max_connections: 20000
  max_room_users: 20000
  session_messages_per_second: 0
log:
  level: info
${plugin_dir:+plugin_dir: $plugin_dir}"
printf '%s\nplugins: []\n' "$base_yaml" >"$tmp/chatd-none.yaml"
grep -v '^  session_messages_per_second:' "$tmp/chatd-none.yaml" >"$tmp/chatd-flood.yaml"
printf '%s\nhistory:\n  store: memory\nplugins: []\n' "$base_yaml" >"$tmp/chatd-memory.yaml"
cat >"$tmp/chatd-plugins.yaml" <<EOF
$base_yaml
plugins:
  - name: logging
    on_error: continue
    config:
      file: $tmp/transcript.jsonl
  - name: filter
    on_error: continue
    config:
      words: []
      patterns: []
      action: mask
  - name: ratelimit
    on_error: continue
    config:
      rate: 1000000
      burst: 1000000
EOF

# The same plugins, each scoped to a room the benchmark never uses.
sed -e 's/^    on_error: continue$/    on_error: continue\n    rooms: [elsewhere]/' "$tmp/chatd-plugins.yaml" |
  sed -e 's/^plugins:$/history:\n  store: memory\nplugins:/' >"$tmp/chatd-scoped.yaml"

# --- servers ----------------------------------------------------------------
# start_server KIND [SCENARIO]: chatd | memory (chatd, history in memory) |
# plugins | reference; chatd for the flood scenario runs with the shipped
# message pacing. Sets server_pid, server_port.
start_server() {
  local kind=$1 log="$tmp/server.log" state="$tmp/state" none="$tmp/chatd-none.yaml"
  [[ ${2:-} == flood ]] && none="$tmp/chatd-flood.yaml"
  : >"$log"
  # STATE_DIRECTORY: the history store goes into a fresh directory under $tmp
  # for every run (not the caller's directory, not an earlier run's store).
  rm -rf "$state" && mkdir "$state"
  case $kind in
    chatd) STATE_DIRECTORY="$state" "${server_cpu[@]}" "$chatd" --config="$none" >"$log" 2>&1 & ;;
    memory) STATE_DIRECTORY="$state" "${server_cpu[@]}" "$chatd" --config="$tmp/chatd-memory.yaml" >"$log" 2>&1 & ;;
    plugins) (cd "$tmp" && STATE_DIRECTORY="$state" exec "${server_cpu[@]}" "$chatd" --config="$tmp/chatd-plugins.yaml") >"$log" 2>&1 & ;;
    scoped) (cd "$tmp" && STATE_DIRECTORY="$state" exec "${server_cpu[@]}" "$chatd" --config="$tmp/chatd-scoped.yaml") >"$log" 2>&1 & ;;
    reference)
      (ulimit -n "$(ulimit -Hn)"; NODE_PATH="$cache/node_modules" exec "${server_cpu[@]}" node "$here/reference/server.js" --port 0) >"$log" 2>&1 & ;;
  esac
  server_pid=$!
  server_port=""
  for _ in $(seq 200); do
    server_port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)
    [[ -n $server_port ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: $kind did not start; its output:" >&2
  cat "$log" >&2
  return 1
}

results="$tmp/results"
: >"$results"
# run SCENARIO KIND BENCH-ARGS...: one fresh server, one chatd-bench run.
run() {
  local scenario=$1 kind=$2; shift 2
  local line
  if ! start_server "$kind" "$scenario"; then
    echo "$scenario $kind $rep FAILED" >>"$results"
    return 0
  fi
  printf '  %-10s %-9s rep %s ... ' "$scenario" "$kind" "$rep" >&2
  if line=$("${bench_cpu[@]}" "$bench" "$@" --port "$server_port" --server-pid "$server_pid" --json --quiet 2>"$tmp/bench.err"); then
    echo "$scenario $kind $rep $line" >>"$results"
    echo "ok (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  else
    echo "$scenario $kind $rep FAILED" >>"$results"
    echo "FAILED: $(tail -1 "$tmp/bench.err")" >&2
  fi
  stop_server
}

# --- the runs ------------------------------------------------------------------
eff=(broadcast --clients "$clients" --senders 10 --window 8 --duration "$duration" --drain "$drain")
chat=(broadcast --clients "$clients" --senders "$clients" --rate 1 --duration "$duration" --drain "$drain")
moderate=(broadcast --clients "$clients" --senders 10 --rate 5 --duration "$duration" --drain "$drain")
idle=(idle --clients "$big")
scale=(broadcast --clients "$big" --senders 1 --rate 10 --duration "$duration" --drain "$drain" --setup-timeout 120)

started=$(date +%s)
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
echo "chatd: $("$chatd" --version 2>&1 | head -1); reference: node $(node --version), ws $(sed -n 's/.*"version": "\(.*\)".*/\1/p' "$cache/node_modules/ws/package.json" | head -1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$reps"); do
  echo "repetition $rep of $reps" >&2
  if [[ -z $only ]]; then
    for kind in chatd memory reference; do run efficiency "$kind" "${eff[@]}"; done
    run plugins plugins "${eff[@]}"
    for kind in chatd memory reference; do run chat "$kind" "${chat[@]}"; done
    for kind in chatd reference; do run moderate "$kind" "${moderate[@]}"; done
    for kind in chatd reference; do run idle "$kind" "${idle[@]}"; done
    for kind in chatd reference; do run scale "$kind" "${scale[@]}"; done
    run json chatd "${eff[@]}" --protocol json
    if [[ $json_scale == 1 ]]; then
      run json-scale chatd broadcast --clients "$big" --senders 1 --rate 10 --duration "$duration" --drain "$drain" \
        --protocol json --setup-timeout 600
    fi
  fi
  if wants redis; then redis_rows; fi
  if wants scoped; then for kind in memory scoped; do run efficiency "$kind" "${eff[@]}"; done; fi
  if [[ -n $only ]] && wants history; then
    for kind in chatd memory; do run efficiency "$kind" "${eff[@]}"; done
    for kind in chatd memory; do run chat "$kind" "${chat[@]}"; done
  fi
  if [[ -n $only ]] && wants json; then
    run efficiency reference "${eff[@]}"
    run json chatd "${eff[@]}" --protocol json
  fi
  if wants bigroom; then bigroom_rows; fi
  if wants churn; then churn_rows; fi
  if wants flood; then flood_rows; fi
done
if [[ -z $only && $redis == 1 ]]; then for rep in $(seq "$reps"); do redis_rows; done; fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); took $(( $(date +%s) - started )) s"
if [[ -n $out ]]; then cp "$results" "$out"; fi

# --- the table ---------------------------------------------------------------------
# median SCENARIO KIND FIELD: the median of FIELD over the repetitions ("" if none,
# e.g. every run FAILED).
median() {
  sed -n "s/^$1 $2 [0-9]* {/{/p" "$results" | sed -n "s/.*\"$3\":\([^,}]*\).*/\1/p" | { grep -v null || true; } | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
fmt() { [[ -n $1 ]] && awk -v v="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, v }' || printf 'n/a'; }
ratio() { [[ -n $1 && -n $2 ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }' || printf 'n/a'; }
verdict() { [[ -n $1 ]] && awk "BEGIN { exit !($1) }" && printf 'met' || printf 'NOT met'; }
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

# Durable history: chatd with the store (default) against history in memory,
# same scenarios, same run. Bar: >= 90% of the throughput, and the chat
# scenario's p99 under 50 ms with the store on.
share() { if [[ -n $1 && -n $2 ]]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b }'; fi; }
history_table() {
  local c r pc
  c=$(median efficiency chatd deliveries_per_s); r=$(median efficiency memory deliveries_per_s)
  pc=$(share "$c" "$r")
  row "durable history: broadcast efficiency, store on / off" "deliveries/s" "$(fmt "$c") / $(fmt "$r")" "" \
    "${pc:-n/a}%" ">= 90%: $(verdict "${pc:-0} >= 90")"
  c=$(median efficiency chatd deliveries_per_cpu_s); r=$(median efficiency memory deliveries_per_cpu_s)
  pc=$(share "$c" "$r")
  row "" "deliveries per server CPU-s" "$(fmt "$c") / $(fmt "$r")" "" "${pc:-n/a}%" ""
  c=$(median chat chatd deliveries_per_s); r=$(median chat memory deliveries_per_s)
  pc=$(share "$c" "$r")
  row "durable history: chat, $clients clients x 1 msg/s, store on / off" "deliveries/s" "$(fmt "$c") / $(fmt "$r")" "" \
    "${pc:-n/a}%" ">= 90%: $(verdict "${pc:-0} >= 90")"
  c=$(median chat chatd latency_p99_ms); r=$(median chat memory latency_p99_ms)
  row "" "p99 delivery latency" "$(fmt "$c" 1) ms / $(fmt "$r" 1) ms" "" "" "on < 50 ms: $(verdict "${c:-1e300} < 50")"
}

# report_failures: one line naming the runs that FAILED, if any.
report_failures() {
  local failed
  failed=$(grep -c ' FAILED$' "$results" || true)
  if [[ $failed -gt 0 ]]; then echo "$failed run(s) FAILED: $(grep ' FAILED$' "$results" | cut -d' ' -f1-3 | tr '\n' ';')"; fi
}

n_runs=$reps
if [[ $only == " redis" ]]; then redis_table; report_failures; exit 0; fi
echo
echo "Medians of $n_runs run(s) each; server on one core (CPU 0), chatd-bench on CPU 1."
row "scenario" "measure" "chatd" "reference" "ratio" "bar"
row "---" "---" "---:" "---:" "---:" "---"
if [[ -n $only ]]; then
  if wants history; then history_table; fi
  if wants scoped; then
    for field in deliveries_per_s deliveries_per_cpu_s; do
      c=$(median efficiency scoped $field); r=$(median efficiency memory $field)
      pc=$(share "$c" "$r")
      row "plugins scoped to another room / no plugins" "$field" "$(fmt "$c") / $(fmt "$r")" "" "${pc:-n/a}%" ""
    done
  fi
  if wants json; then json_saturation_table; fi
  if wants bigroom; then bigroom_table; fi
  if wants churn; then churn_table; fi
  if wants flood; then flood_table; fi
  if wants redis; then redis_table; fi
  report_failures
  exit 0
fi
c=$(median efficiency chatd deliveries_per_cpu_s); r=$(median efficiency reference deliveries_per_cpu_s)
row "broadcast efficiency, $clients clients, closed loop" "deliveries per server CPU-s" "$(fmt "$c")" "$(fmt "$r")" \
  "$(ratio "$c" "$r")" ">= 10x: $(verdict "${c:-0} >= 10 * ${r:-1e300}")"
c=$(median efficiency chatd deliveries_per_s); r=$(median efficiency reference deliveries_per_s)
row "" "deliveries/s" "$(fmt "$c")" "$(fmt "$r")" "$(ratio "$c" "$r")" ""
c=$(median chat chatd completeness); r=$(median chat reference completeness)
cp99=$(median chat chatd latency_p99_ms); rp99=$(median chat reference latency_p99_ms)
row "chat, $clients clients x 1 msg/s" "delivered" "$(fmt "$(awk -v v="${c:-0}" 'BEGIN{print v*100}')" 2)%" \
  "$(fmt "$(awk -v v="${r:-0}" 'BEGIN{print v*100}')" 2)%" "" ">= 99.9%: $(verdict "${c:-0} >= 0.999")"
row "" "p99 delivery latency" "$(fmt "$cp99" 1) ms" "$(fmt "$rp99" 1) ms" "$(ratio "$rp99" "$cp99")" \
  "< 50 ms: $(verdict "${cp99:-1e300} < 50")"
c=$(median moderate chatd latency_p99_ms); r=$(median moderate reference latency_p99_ms)
row "moderate load, $clients clients, 50 msg/s" "p99 delivery latency" "$(fmt "$c" 2) ms" "$(fmt "$r" 2) ms" \
  "$(ratio "$r" "$c")" "<= half: $(verdict "${c:-1e300} * 2 <= ${r:-0}")"
c=$(median idle chatd rss_per_connection_bytes); r=$(median idle reference rss_per_connection_bytes)
row "idle memory, $big connections" "RSS per connection" "$(fmt "$c") B" "$(fmt "$r") B" "$(ratio "$r" "$c")" \
  "<= 1536 B: $(verdict "${c:-1e300} <= 1536")"
c=$(median scale chatd completeness); r=$(median scale reference completeness)
cl=$(median scale chatd latency_p99_ms); rl=$(median scale reference latency_p99_ms)
row "scale, $big connections receiving" "delivered" "$(fmt "$(awk -v v="${c:-0}" 'BEGIN{print v*100}')" 3)%" \
  "$(fmt "$(awk -v v="${r:-0}" 'BEGIN{print v*100}')" 3)%" "" "all: $(verdict "${c:-0} >= 1")"
row "" "p99 delivery latency" "$(fmt "$cl" 1) ms" "$(fmt "$rl" 1) ms" "$(ratio "$rl" "$cl")" ""
c=$(median plugins plugins deliveries_per_cpu_s); r=$(median efficiency chatd deliveries_per_cpu_s)
cost=""
if [[ -n $c && -n $r ]]; then cost=$(awk -v a="$c" -v b="$r" 'BEGIN { printf "%.1f", 100 * (1 - a / b) }'); fi
row "plugins (logging+filter+ratelimit) vs none" "deliveries per server CPU-s" "$(fmt "$c") / $(fmt "$r")" "" \
  "cost ${cost:-n/a}%" "<= 15%: $(verdict "${cost:-1e300} <= 15")"
history_table
c=$(median json chatd deliveries_per_cpu_s); r=$(median efficiency chatd deliveries_per_cpu_s)
row "chatd.v1 JSON mode vs raw, $clients clients" "deliveries per server CPU-s" "$(fmt "$c") / $(fmt "$r")" "" \
  "$(ratio "$c" "$r")" ""
if [[ $json_scale == 1 ]]; then
  c=$(median json-scale chatd setup_s); s=$(median json-scale chatd setup_server_cpu_s)
  row "chatd.v1 JSON mode, $big clients" "setup (join all): wall / server CPU" "$(fmt "$c" 1) s / $(fmt "$s" 1) s" "" "" ""
fi
json_saturation_table
bigroom_table
churn_table
flood_table
if [[ $redis == 1 ]]; then redis_table; fi
report_failures
exit 0
