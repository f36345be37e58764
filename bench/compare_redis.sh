# The cross-instance rows of bench/compare.sh (--redis, --redis-only); sourced by it
# and using its settings ($tmp, $base_yaml, $chatd, $bench, $clients, $duration,
# $drain, $results, server_cpu/bench_cpu) and its table helpers (median, fmt, row).
#
# Three setups run the same two broadcast scenarios, a fresh Redis and fresh
# server(s) for every run:
#   memory   one chatd, the in-memory bus: the single-instance figure
#   redis1   one chatd on the Redis bus: what going through Redis costs
#   redis2   two chatd instances on one Redis, the clients split between them
#            (chatd-bench --port2: the odd-numbered clients, half of the senders,
#            connect to the second): half of every message's deliveries cross
#            from one instance to the other through Redis
# Scenarios: "throughput" is the closed loop of the efficiency row (10 senders x
# 8 in flight), "latency" the moderate load (10 senders x 5 msg/s), "rate" the
# same closed loop in a room of 20 (fan-out is cheap there: it finds the
# message rate one Redis sustains). Redis listens
# on a Unix socket only (--port 0: no port to pick) and runs, like the chatd
# instances, on the servers' CPU; its CPU time per message says how far one Redis
# carries.

redis_pid=""
bus_pids=()
bus_port=""

# Ends (by pid: TERM, then KILL after 5 s) what the redis rows started; also
# called by compare.sh's cleanup.
stop_redis_rows() {
  local pid
  for pid in "${bus_pids[@]}" $redis_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bus_pids[@]}" $redis_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  bus_pids=()
  redis_pid=""
}

# cpu_ticks PID: the user + system clock ticks PID has used so far.
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Starts redis-server on $tmp/redis.sock (no TCP, no persistence); sets redis_pid.
start_redis() {
  local log="$tmp/redis.log"
  rm -f "$tmp/redis.sock"
  "${server_cpu[@]}" redis-server --port 0 --unixsocket "$tmp/redis.sock" --save '' --appendonly no \
    --dir "$tmp" >"$log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do
    grep -qi 'ready to accept connections' "$log" && return 0
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: redis-server did not start; its output:" >&2
  cat "$log" >&2
  return 1
}

# start_bus_chatd CONFIG NAME: one more chatd; adds its pid to bus_pids, sets bus_port.
start_bus_chatd() {
  local config=$1 log="$tmp/$2.log"
  : >"$log"
  # A state directory each: one history store per instance.
  mkdir -p "$tmp/$2.state"
  STATE_DIRECTORY="$tmp/$2.state" "${server_cpu[@]}" "$chatd" --config="$config" >"$log" 2>&1 &
  bus_pids+=("$!")
  bus_port=""
  for _ in $(seq 200); do
    bus_port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\).*|\1|p' "$log" | head -1)
    [[ -n $bus_port ]] && return 0
    kill -0 "${bus_pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: chatd ($2) did not start; its output:" >&2
  cat "$log" >&2
  return 1
}

# redis_run SETUP SCENARIO BENCH-ARGS...: one chatd-bench run on fresh servers.
# Its JSON line gets "redis_cpu_s" (Redis' CPU time over the whole run) added.
redis_run() {
  local setup=$1 scenario=$2; shift 2
  local config="$tmp/chatd-bus.yaml" count=1 ports=() extra=() line before=0 after=0 i
  [[ $setup == memory ]] && config="$tmp/chatd-none.yaml"
  [[ $setup == redis2 ]] && count=2
  if [[ $setup != memory ]] && ! start_redis; then
    echo "redis-$scenario $setup $rep FAILED" >>"$results"
    stop_redis_rows
    return 0
  fi
  for i in $(seq "$count"); do
    if ! start_bus_chatd "$config" "$setup-$i"; then
      echo "redis-$scenario $setup $rep FAILED" >>"$results"
      stop_redis_rows
      return 0
    fi
    ports+=("$bus_port")
  done
  [[ $count == 2 ]] && extra=(--port2 "${ports[1]}")
  [[ -n $redis_pid ]] && before=$(cpu_ticks "$redis_pid")
  printf '  %-17s %-7s rep %s ... ' "redis-$scenario" "$setup" "$rep" >&2
  if line=$("${bench_cpu[@]}" "$bench" "$@" --port "${ports[0]}" "${extra[@]}" --server-pid "${bus_pids[0]}" \
      --json --quiet 2>"$tmp/bench.err"); then
    [[ -n $redis_pid ]] && after=$(cpu_ticks "$redis_pid")
    local redis_cpu
    redis_cpu=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t / hz }')
    echo "redis-$scenario $setup $rep ${line%\}},\"redis_cpu_s\":$redis_cpu}" >>"$results"
    echo "ok (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  else
    echo "redis-$scenario $setup $rep FAILED" >>"$results"
    echo "FAILED: $(tail -1 "$tmp/bench.err")" >&2
  fi
  stop_redis_rows
}

# One repetition of the cross-instance rows (needs redis-server and a chatd with the Redis bus).
redis_rows() {
  command -v redis-server >/dev/null || { echo "redis rows skipped: no redis-server (apt-get install redis-server)" >&2; return 0; }
  printf '%s\nplugins: []\nbus:\n  type: redis\n  redis:\n    unix_socket: %s\n    key_prefix: "bench:"\n' \
    "$base_yaml" "$tmp/redis.sock" >"$tmp/chatd-bus.yaml"
  if ! "$chatd" --config="$tmp/chatd-bus.yaml" --check-config >/dev/null 2>&1; then
    echo "redis rows skipped: this chatd has no Redis bus" >&2
    return 0
  fi
  local setup
  for setup in memory redis1 redis2; do
    redis_run "$setup" throughput broadcast --clients "$clients" --senders 10 --window 8 --duration "$duration" \
      --drain "$drain"
    redis_run "$setup" latency broadcast --clients "$clients" --senders 10 --rate 5 --duration "$duration" \
      --drain "$drain"
    redis_run "$setup" rate broadcast --clients 20 --senders 20 --window 8 --duration "$duration" --drain "$drain"
  done
}

# The cross-instance table: medians over the repetitions.
redis_table() {
  local setup label d m p50 p99 c cpu sent per small
  echo
  echo "Cross-instance: $clients clients in one room, 10 senders; medians of $reps run(s). Servers (chatd"
  echo "instance(s) and Redis) share CPU 0, chatd-bench on CPU 1. Throughput: closed loop, 8 in flight per"
  echo "sender. Latency: 10 senders x 5 msg/s ($((50 * clients)) deliveries/s offered). Room of 20: 20 senders,"
  echo "closed loop, 8 in flight each."
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "setup" "messages/s" "deliveries/s" "latency p50 / p99" \
    "delivered" "room of 20: messages/s" "Redis CPU per message"
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "---" "---:" "---:" "---:" "---:" "---:" "---:"
  for setup in memory redis1 redis2; do
    case $setup in
      memory) label="1 instance, memory bus" ;;
      redis1) label="1 instance, Redis bus" ;;
      redis2) label="2 instances, one Redis (clients split)" ;;
    esac
    d=$(median redis-throughput "$setup" deliveries_per_s)
    m=$([[ -n $d ]] && awk -v d="$d" -v n="$clients" 'BEGIN { print d / n }')
    p50=$(median redis-latency "$setup" latency_p50_ms)
    p99=$(median redis-latency "$setup" latency_p99_ms)
    c=$(median redis-latency "$setup" completeness)
    # Redis' CPU per message, from the room of 20 (its 20 joins are negligible there).
    cpu=$(median redis-rate "$setup" redis_cpu_s)
    sent=$(median redis-rate "$setup" sent)
    per="n/a"
    if [[ $setup != memory && -n $cpu && -n $sent ]]; then
      per="$(awk -v c="$cpu" -v s="$sent" 'BEGIN { if (s > 0) printf "%.1f", 1e6 * c / s; else print "n/a" }') µs"
    fi
    small=$(median redis-rate "$setup" deliveries_per_s)
    small=$([[ -n $small ]] && awk -v d="$small" 'BEGIN { print d / 20 }')
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(fmt "$m")" "$(fmt "$d")" \
      "$(fmt "$p50" 1) / $(fmt "$p99" 1) ms" "$(fmt "$(awk -v v="${c:-0}" 'BEGIN { print v * 100 }')" 2)%" \
      "$(fmt "$small")" "$per"
  done
}
