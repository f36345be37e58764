# The big-room rows of bench/compare.sh (issue 17): sourced by it and using its
# settings ($quick, $results, $rep) and helpers (run, median, fmt, ratio,
# verdict, row). Every row runs chatd-bench's bigroom mode (chatd.v1, see
# `chatd-bench --help`) against chatd with its default config (durable history):
#   bigroom  a room filled to 19,000 members: the time from the first connect
#            until every join was answered (welcome), clients the server closed,
#            its RSS at the end of the fill; then 1,000 of them send 1 msg/s for 30 s
#   churn    1,000 members leave (close) and join again (new connection, new nick),
#            200 leave+join cycles/s in all, while 1,000 others chat at 1 msg/s
#   flood    1,000 members, 10 of them chatting at 5 msg/s, 15 s quiet, then 15 s
#            more while 100 flooders (in 10 rooms of their own) write messages as
#            fast as their sockets take them: the members' p99 in both phases and
#            the server's peak RSS, against a stated bound. The only row run with
#            flood control as shipped (limits.session_messages_per_second 10, burst
#            30; start_server's chatd-flood.yaml): the others turn it off. Few flood rooms: each
#            room keeps up to history.max_messages (10,000) messages, which is
#            memory by design, not growth; 10 rooms hold at most 100,000.
# The JSON-mode saturation row (group json) is the efficiency scenario in chatd.v1
# mode against the reference's efficiency run (raw: the reference has no join).

# The flood's RSS bound: chatd's peak RSS while flooded (env CHATD_FLOOD_RSS_MB).
flood_rss_bound_mb=${CHATD_FLOOD_RSS_MB:-100}

if [[ $quick == 1 ]]; then
  fill_members=1000; then_senders=100; then_s=3; fill_timeout=60
  churn_members=100; churners=100; churn_rate=20; churn_s=3
  flood_members=200; flooders=10; flood_rooms=2; flood_s=2
else
  fill_members=19000; then_senders=1000; then_s=30; fill_timeout=180
  churn_members=1000; churners=1000; churn_rate=200; churn_s=30
  flood_members=1000; flooders=100; flood_rooms=10; flood_s=15
fi

# The issue's chat in the full room asks one core for $then_senders x $fill_members
# deliveries a second (19 million in the full run), several times what one
# core sends here; the same chat with a tenth of the senders shows what the
# full room does hold (bigroom_tenth).
bigroom_rows() {
  run bigroom chatd bigroom --clients "$fill_members" --senders "$then_senders" --rate 1 --duration "$then_s" \
    --drain 10 --setup-timeout "$fill_timeout"
  run bigroom_tenth chatd bigroom --clients "$fill_members" --senders "$((then_senders / 10))" --rate 1 \
    --duration "$then_s" --drain 10 --setup-timeout "$fill_timeout"
}
churn_rows() {
  run churn chatd bigroom --clients "$churn_members" --senders "$churn_members" --rate 1 --churners "$churners" \
    --churn "$churn_rate" --duration "$churn_s" --drain 10 --setup-timeout 120
}
flood_rows() {
  run flood chatd bigroom --clients "$flood_members" --senders 10 --rate 5 --flooders "$flooders" \
    --flood-rooms "$flood_rooms" --duration "$flood_s" --drain 10 --setup-timeout 120
}

# percent VALUE: a fraction as a percentage.
percent() { [[ -n $1 ]] && awk -v v="$1" 'BEGIN { print v * 100 }'; }
# mb KIB: KiB as MB (10^6 bytes).
mb() { [[ -n $1 ]] && awk -v v="$1" 'BEGIN { print v * 1024 / 1e6 }'; }

bigroom_table() {
  local s j c rss p99 pc
  s=$(median bigroom chatd fill_s); j=$(median bigroom chatd fill_joined); c=$(median bigroom chatd fill_closed)
  rss=$(mb "$(median bigroom chatd fill_server_rss_kb)")
  row "big room: fill to $fill_members chatd.v1 members" "start -> every join answered" \
    "$(fmt "$s" 1) s ($(fmt "$j") joined)" "" "" "<= 15 s: $(verdict "${s:-1e300} <= 15 && ${j:-0} >= $fill_members")"
  row "" "clients closed by the server" "$(fmt "$c")" "" "" "none: $(verdict "${c:-1} == 0")"
  row "" "server RSS at the end of the fill" "$(fmt "$rss" 1) MB" "" "" "< 100 MB: $(verdict "${rss:-1e300} < 100")"
  row "" "presence frames per member" "$(fmt "$(median bigroom chatd presence_per_client)" 1)" "" "" ""
  pc=$(percent "$(median bigroom chatd completeness)"); p99=$(median bigroom chatd latency_p99_ms)
  row "then $then_senders of them x 1 msg/s, $then_s s" "delivered" "$(fmt "$pc" 2)%" "" "" \
    ">= 99.9%: $(verdict "${pc:-0} >= 99.9")"
  row "" "p99 delivery latency" "$(fmt "$p99" 1) ms" "" "" "< 250 ms: $(verdict "${p99:-1e300} < 250")"
  pc=$(percent "$(median bigroom_tenth chatd completeness)"); p99=$(median bigroom_tenth chatd latency_p99_ms)
  row "or $((then_senders / 10)) of them x 1 msg/s, $then_s s" "delivered" "$(fmt "$pc" 2)%" "" "" \
    ">= 99.9%: $(verdict "${pc:-0} >= 99.9")"
  row "" "p99 delivery latency" "$(fmt "$p99" 1) ms" "" "" "< 250 ms: $(verdict "${p99:-1e300} < 250")"
}

churn_table() {
  local p99 cycles pc
  p99=$(median churn chatd latency_p99_ms); cycles=$(median churn chatd churn_per_s)
  pc=$(percent "$(median churn chatd completeness)")
  row "churn: $churners members joining and leaving ($churn_rate/s) while $churn_members chat at 1 msg/s" \
    "chatters' p99 delivery latency" "$(fmt "$p99" 1) ms" "" "" "< 100 ms: $(verdict "${p99:-1e300} < 100")"
  row "" "leave+join cycles/s done; chat delivered" "$(fmt "$cycles" 1)/s; $(fmt "$pc" 2)%" "" "" ""
}

flood_table() {
  local peak quiet flood
  peak=$(mb "$(median flood chatd flood_server_peak_rss_kb)")
  quiet=$(median flood chatd latency_p99_ms); flood=$(median flood chatd flood_latency_p99_ms)
  row "flood: $flooders flooders ($flood_rooms rooms of their own) while $flood_members members chat (10 x 5 msg/s)" \
    "server peak RSS during the flood" "$(fmt "$peak" 1) MB" "" "" \
    "<= $flood_rss_bound_mb MB (the bound): $(verdict "${peak:-1e300} <= $flood_rss_bound_mb")"
  row "" "members' p99: quiet / flooded" "$(fmt "$quiet" 1) ms / $(fmt "$flood" 1) ms" "" "$(ratio "$flood" "$quiet")" \
    "<= 2x: $(verdict "${flood:-1e300} <= 2 * ${quiet:-0}")"
  row "" "flood copies received/s" "$(fmt "$(median flood chatd flood_delivered_per_s)")" "" "" ""
}

json_saturation_table() {
  local c r
  c=$(median json chatd deliveries_per_cpu_s); r=$(median efficiency reference deliveries_per_cpu_s)
  row "chatd.v1 JSON mode saturation vs reference (raw), $clients clients" "per CPU-second vs reference" \
    "$(fmt "$c")" "$(fmt "$r")" "$(ratio "$c" "$r")" ">= 12x: $(verdict "${c:-0} >= 12 * ${r:-1e300}")"
}
