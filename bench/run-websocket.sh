#!/usr/bin/env bash
# The WebSocket benchmarks of issue 7, each next to its ceiling in the same run:
#   1. CONNECTIONS (10,000) concurrent WebSocket connections on one edge, each subscribed to
#      HOLD_CHANNEL: heap used after a full GC and RSS of the edge's JVM before, with and after
#      them (bytes per connection), and the JVM's idle CPU without and with them;
#   2. change-to-client latency: SUBSCRIBERS (1,000) clients subscribed to `customers`, each rate
#      of RATES (10,100,1000) changes/s for DURATION (30) s after WARMUP (5) s, open loop, latency
#      from each change's scheduled send time to its receipt by each client:
#        a. ChannelMessages published straight to portico.ws.channels (the edge's fan-out alone),
#        b. PUT /prod/customer/{id} through the edge -> customer-service -> stream-service ->
#           edge -> client (end to end), at each rate of PUT_RATES (RATES);
#   3. the ceiling: the same clients and rates against a bare Vert.x WebSocket fan-out server
#      (`bench.jar ws-bare-server`, its own JVM, 2 event loops) fed over a WebSocket.
# Builds launcher and bench (offline, no tests) unless BUILD=0, copies both jars into the run's
# temp dir (a concurrent rebuild cannot swap them mid-run), starts the suite on its own data dir
# and prints every figure with the machine's load average next to it.
#
# Tunables (environment): CONNECTIONS (10000), CONNECT_RATE (450: under the edge's default
# PORTICO_EDGE_WS_CONNECT_RATE of 500/s, which this script leaves alone unless EDGE_CONNECT_RATE is
# set), HOLD_CHANNEL (customers), IDLE_SECONDS (20: each idle CPU sample), SUBSCRIBERS (1000),
# RATES (10,100,1000), PUT_RATES (RATES), DURATION (30), WARMUP (5), SOURCES (kafka,put,bare: which latency
# runs), CLIENT_LOOPS (2), PORT_OFFSET (0: added to every suite port; the script refuses to start
# when one is taken), BARE_PORT (18090), BARE_MEMORY (1: also hold CONNECTIONS on the bare server),
# HISTO_TOP (15: classes shown per connection), BUILD (1), READY_TIMEOUT (120), STOP_TIMEOUT (30),
# LAUNCHER_JAVA_OPTS, BENCH_JAVA_OPTS.
set -euo pipefail

cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-10000}
CONNECT_RATE=${CONNECT_RATE:-450}
HOLD_CHANNEL=${HOLD_CHANNEL:-customers}
IDLE_SECONDS=${IDLE_SECONDS:-20}
SUBSCRIBERS=${SUBSCRIBERS:-1000}
RATES=${RATES:-10,100,1000}
PUT_RATES=${PUT_RATES:-$RATES}
IFS=, read -ra RATE_LIST <<<"$RATES"
IFS=, read -ra PUT_RATE_LIST <<<"$PUT_RATES"
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
SOURCES=${SOURCES:-kafka,put,bare}
CLIENT_LOOPS=${CLIENT_LOOPS:-2}
PORT_OFFSET=${PORT_OFFSET:-0}
BARE_PORT=${BARE_PORT:-18090}
BUILD=${BUILD:-1}
READY_TIMEOUT=${READY_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
TOPIC_PREFIX=${PORTICO_TOPIC_PREFIX:-portico.}
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"  # the heap README's command gives the launcher
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for tool in curl jcmd; do
  command -v $tool >/dev/null || { echo "$tool not found (jcmd comes with the JDK)" >&2; exit 1; }
done

# 10,000 sockets in the edge's JVM and as many in the client's, plus their other files.
NEED_FILES=$((CONNECTIONS + 4096))
if (($(ulimit -n) < NEED_FILES)); then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  ulimit -n "$NEED_FILES" 2>/dev/null || true
fi
if (($(ulimit -n) < NEED_FILES)); then
  echo "warning: ulimit -n is $(ulimit -n) (hard $(ulimit -Hn)), below the $NEED_FILES wanted" >&2
fi

if [[ $BUILD == 1 ]]; then
  echo "building launcher and bench (mvn -B -o -q install -DskipTests -pl launcher,bench -am)"
  mvn -B -o -q install -DskipTests -pl launcher,bench -am
fi

# now_ms, descendants, rss_kb, start_launcher, stop_launcher, suite_on_ports, port_in_use.
source bench/suite-lib.sh
suite_on_ports "$PORT_OFFSET"
if port_in_use "$BARE_PORT"; then
  echo "port $BARE_PORT (BARE_PORT, the bare Vert.x fan-out server) is in use: move it with BARE_PORT" >&2
  exit 1
fi
METRICS_URL=http://127.0.0.1:$EDGE_OPS_PORT/metrics
WS_URL=ws://127.0.0.1:$EDGE_PORT/prod
if [[ -n ${EDGE_CONNECT_RATE:-} ]]; then
  LAUNCHER_ENV+=(PORTICO_EDGE_WS_CONNECT_RATE="$EDGE_CONNECT_RATE")
fi

WORK=$(mktemp -d -t portico-ws-bench.XXXXXX)
DATA_DIR=$WORK/data
LOG=$WORK/launcher.log
mkdir -p "$DATA_DIR"
cp launcher/target/portico.jar "$WORK/portico.jar"
cp bench/target/bench.jar "$WORK/bench.jar"
LAUNCHER_JAR=$WORK/portico.jar
BENCH_JAR=$WORK/bench.jar

declare -A HELPER_PID=()
stop_helper() {
  local name=$1 pid deadline
  pid=${HELPER_PID[$name]:-}
  [[ -n $pid ]] || return 0
  unset "HELPER_PID[$name]"
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(($(date +%s) + 10))
  while kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$? name
  for name in "${!HELPER_PID[@]}"; do stop_helper "$name"; done
  stop_launcher
  rm -rf "$DATA_DIR" "$LAUNCHER_JAR" "$BENCH_JAR"
  if ((status == 0)); then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench() { java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" "$@" 2> >(grep -v '^SLF4J' >&2); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU seconds (user + system) of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
# Average CPU of $1 over $2 seconds, in % of one core.
cpu_percent() {
  local before after
  before=$(cpu_ticks "$1")
  sleep "$2"
  after=$(cpu_ticks "$1")
  awk -v d=$((after - before)) -v t="$TICKS" -v s="$2" 'BEGIN {printf "%.1f", 100 * d / t / s}'
}
# Heap used after two full GCs, in KiB (G1: "garbage-first heap total N, used MK").
heap_used_kb() {
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | sed -n 's/.*heap.*total [0-9]*K, used \([0-9]*\)K.*/\1/p'
}
# A saturated run leaves the server a backlog of writes to the (now closed) clients: wait until
# its JVM is nearly idle again (under 40% of a core over 2 s, 180 s at most) before the next run.
settle() {
  local waited=0 cpu
  sleep 3
  while ((waited < 180)); do
    cpu=$(cpu_percent "$1" 2)
    waited=$((waited + 2))
    if awk -v c="$cpu" 'BEGIN {exit !(c < 40)}'; then break; fi
  done
  echo "settled after ${waited}s (last sample ${cpu}% of a core)"
}
# The live objects (after a full GC) by class: "<bytes> <instances> <class>" lines.
histogram() {
  jcmd "$1" GC.class_histogram | awk '$1 ~ /^[0-9]+:$/ {print $3, $2, $4}'
}
# The classes that grew most between two histograms, with bytes and instances per connection.
histogram_growth() { # before, after, connections
  awk -v n="$3" 'NR == FNR {b[$3] = $1; i[$3] = $2; next}
    {d = $1 - b[$3]; if (d > 0) printf "%d %.0f %.2f %s\n", d, d / n, ($2 - i[$3]) / n, $3}' "$1" "$2" |
    sort -rn | awk -v n="${HISTO_TOP:-15}" 'NR <= n' |
    awk '{printf "  %8d B/conn  %6.2f objects/conn  %s\n", $2, $3, $4}'
}
metric() {
  curl -sf "$METRICS_URL" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%.0f", s}'
}
edge_ws_connections() { metric portico_edge_ws_connections; }
# Heap as it is (no GC): what a backlog holds.
heap_now() {
  jcmd "$1" GC.heap_info | sed -n 's/.*heap.*total \([0-9]*\)K, used \([0-9]*\)K.*/committed \1 KiB, used \2 KiB/p'
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
  "$(java -version 2>&1 | awk 'NR == 1'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(load), ulimit -n $(ulimit -n)"

start_launcher
for port in "${SUITE_PORTS[3]}" "${SUITE_PORTS[4]}"; do
  until curl -sf "http://127.0.0.1:$port/ready" >/dev/null; do sleep 0.2; done
done
EDGE_PID=$LAUNCHER_PID
echo "suite ready (edge JVM = launcher pid $EDGE_PID, with every service; broker in a child JVM)"

# Unreported warm-up of the channel feed, the fan-out and the write path (cold JIT code would
# otherwise be measured), with fewer subscribers.
echo "== warm-up (not reported)"
bench ws-fanout --source kafka --url "$WS_URL" --bootstrap "127.0.0.1:$BROKER_PORT" \
  --topic-prefix "$TOPIC_PREFIX" --subscribers 200 --rate 200 --duration 10 --warmup 0 \
  --loops "$CLIENT_LOOPS" --scenario warm-kafka | grep '^scenario=' || true
bench ws-fanout --source put --url "$WS_URL" --put-url "http://127.0.0.1:$EDGE_PORT/prod/customer" \
  --subscribers 50 --rate 200 --duration 10 --warmup 0 --loops "$CLIENT_LOOPS" \
  --scenario warm-put | grep '^scenario=' || true
settle "$EDGE_PID"

# 1. Memory and idle CPU of CONNECTIONS connections.
echo "== 1. $CONNECTIONS connections on one edge"
sleep 5
HEAP0=$(heap_used_kb "$EDGE_PID")
RSS0=$(rss_kb "$EDGE_PID")
histogram "$EDGE_PID" >"$WORK/histo-before.txt"
echo "before: edge connections=$(edge_ws_connections) heap used after GC=$((HEAP0 / 1024)) MiB RSS=$((RSS0 / 1024)) MiB (load $(load))"
CPU0=$(cpu_percent "$EDGE_PID" "$IDLE_SECONDS")
echo "idle CPU of the edge JVM, no connections: $CPU0% of a core over ${IDLE_SECONDS}s (load $(load))"

HOLD_LOG=$WORK/ws-hold.log
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" ws-hold --url "$WS_URL" \
  --connections "$CONNECTIONS" --connect-rate "$CONNECT_RATE" --channel "$HOLD_CHANNEL" \
  --loops "$CLIENT_LOOPS" >"$HOLD_LOG" 2>&1 &
HELPER_PID[hold]=$!
until grep -q '^ws-hold ready' "$HOLD_LOG"; do
  kill -0 "${HELPER_PID[hold]}" 2>/dev/null || { echo "ws-hold exited:" >&2; cat "$HOLD_LOG" >&2; exit 1; }
  sleep 0.5
done
grep '^ws-hold ready' "$HOLD_LOG"
sleep 5
OPEN=$(edge_ws_connections)
echo "edge reports $OPEN open connections (portico_edge_ws_connections)"
CPU1=$(cpu_percent "$EDGE_PID" "$IDLE_SECONDS")
echo "idle CPU of the edge JVM, $OPEN connections: $CPU1% of a core over ${IDLE_SECONDS}s (load $(load))"
HOLD_CPU=$(cpu_percent "${HELPER_PID[hold]}" 5)
HEAP1=$(heap_used_kb "$EDGE_PID")
RSS1=$(rss_kb "$EDGE_PID")
CLIENT_RSS=$(rss_kb "${HELPER_PID[hold]}")
echo "with: edge connections=$(edge_ws_connections) heap used after GC=$((HEAP1 / 1024)) MiB RSS=$((RSS1 / 1024)) MiB; client JVM RSS=$((CLIENT_RSS / 1024)) MiB, CPU $HOLD_CPU% (load $(load))"
if ((OPEN > 0)); then
  echo "per connection: heap $(((HEAP1 - HEAP0) * 1024 / OPEN)) B, RSS $(((RSS1 - RSS0) * 1024 / OPEN)) B"
  histogram "$EDGE_PID" >"$WORK/histo-with.txt"
  echo "edge heap growth by class (top ${HISTO_TOP:-15}):"
  histogram_growth "$WORK/histo-before.txt" "$WORK/histo-with.txt" "$OPEN"
fi
stop_helper hold
grep '^ws-hold stopped\|^ws-hold done' "$HOLD_LOG" || true
sleep 5
HEAP2=$(heap_used_kb "$EDGE_PID")
echo "after closing them: edge connections=$(edge_ws_connections) heap used after GC=$((HEAP2 / 1024)) MiB RSS=$(($(rss_kb "$EDGE_PID") / 1024)) MiB"

# The memory ceiling: as many connections (subscribed the same way) on the bare Vert.x server.
if [[ ${BARE_MEMORY:-1} == 1 ]]; then
  echo "-- ceiling: $CONNECTIONS connections on the bare Vert.x WebSocket server"
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" ws-bare-server --port "$BARE_PORT" \
    >"$WORK/bare.log" 2>&1 &
  HELPER_PID[bare]=$!
  until grep -q 'listening' "$WORK/bare.log"; do sleep 0.2; done
  sleep 2
  BHEAP0=$(heap_used_kb "${HELPER_PID[bare]}")
  BRSS0=$(rss_kb "${HELPER_PID[bare]}")
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" ws-hold --url "ws://127.0.0.1:$BARE_PORT/" \
    --connections "$CONNECTIONS" --connect-rate "$CONNECT_RATE" --channel "$HOLD_CHANNEL" \
    --loops "$CLIENT_LOOPS" >"$HOLD_LOG" 2>&1 &
  HELPER_PID[hold]=$!
  until grep -q '^ws-hold ready' "$HOLD_LOG"; do
    kill -0 "${HELPER_PID[hold]}" 2>/dev/null || { echo "ws-hold exited:" >&2; cat "$HOLD_LOG" >&2; exit 1; }
    sleep 0.5
  done
  grep '^ws-hold ready' "$HOLD_LOG"
  sleep 5
  BCPU=$(cpu_percent "${HELPER_PID[bare]}" "$IDLE_SECONDS")
  BHEAP1=$(heap_used_kb "${HELPER_PID[bare]}")
  BRSS1=$(rss_kb "${HELPER_PID[bare]}")
  echo "bare server: heap used after GC $((BHEAP0 / 1024)) -> $((BHEAP1 / 1024)) MiB, RSS $((BRSS0 / 1024)) -> $((BRSS1 / 1024)) MiB, idle CPU with them $BCPU% (load $(load))"
  echo "bare server per connection: heap $(((BHEAP1 - BHEAP0) * 1024 / CONNECTIONS)) B, RSS $(((BRSS1 - BRSS0) * 1024 / CONNECTIONS)) B"
  stop_helper hold
  stop_helper bare
fi

# 2. and 3. Change-to-client latency, and its ceiling.
SLOW_BEFORE=$(metric portico_edge_ws_slow_consumers_total)
run_fanout() { # name, process to watch, ws-fanout arguments...
  local name=$1 pid=$2 before after started elapsed
  shift 2
  echo "-- $name $* (load $(load))"
  before=$(cpu_ticks "$pid")
  started=$(now_ms)
  bench ws-fanout --subscribers "$SUBSCRIBERS" --duration "$DURATION" --warmup "$WARMUP" \
    --loops "$CLIENT_LOOPS" --scenario "$name" "$@"
  after=$(cpu_ticks "$pid")
  elapsed=$(($(now_ms) - started))
  awk -v d=$((after - before)) -v t="$TICKS" -v ms="$elapsed" -v l="$(load)" \
    'BEGIN {printf "server JVM CPU over the whole run: %.0f%% of a core; load after: %s\n", 100 * d / t / (ms / 1000), l}'
  echo "server JVM right after: heap $(heap_now "$pid"), RSS $(($(rss_kb "$pid") / 1024)) MiB"
  settle "$pid"
}
edge_slow() { echo "edge: slow consumers closed so far $(($(metric portico_edge_ws_slow_consumers_total) - SLOW_BEFORE))"; }
echo "== 2./3. change-to-client latency: $SUBSCRIBERS subscribers of 'customers', ${DURATION}s (after ${WARMUP}s) at each rate"
IFS=, read -ra WANTED <<<"$SOURCES"
if [[ ,$SOURCES, == *,bare,* ]]; then
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" ws-bare-server --port "$BARE_PORT" \
    >"$WORK/bare.log" 2>&1 &
  HELPER_PID[bare]=$!
  until grep -q 'listening' "$WORK/bare.log"; do sleep 0.2; done
  # Its own short warm-up, as the edge had.
  bench ws-fanout --source bare --url "ws://127.0.0.1:$BARE_PORT/" --subscribers 200 \
    --rate 200 --duration 10 --warmup 0 --loops "$CLIENT_LOOPS" --scenario warm-bare \
    | grep '^scenario=' || true
  settle "${HELPER_PID[bare]}"
fi
# Lowest rate first: a saturated run must not leave its backlog to a lighter one.
ALL_RATES=$(printf '%s\n' "${RATE_LIST[@]}" "${PUT_RATE_LIST[@]}" | sort -n -u)
for rate in $ALL_RATES; do
  for source in "${WANTED[@]}"; do
    case $source in
      kafka)
        [[ ,$RATES, == *,$rate,* ]] || continue
        run_fanout ws-edge-kafka "$EDGE_PID" --source kafka --url "$WS_URL" \
          --bootstrap "127.0.0.1:$BROKER_PORT" --topic-prefix "$TOPIC_PREFIX" --rate "$rate"
        edge_slow ;;
      put)
        [[ ,$PUT_RATES, == *,$rate,* ]] || continue
        run_fanout ws-edge-put "$EDGE_PID" --source put --url "$WS_URL" \
          --put-url "http://127.0.0.1:$EDGE_PORT/prod/customer" --rate "$rate"
        edge_slow ;;
      bare)
        [[ ,$RATES, == *,$rate,* ]] || continue
        run_fanout ws-bare-ceiling "${HELPER_PID[bare]}" --source bare \
          --url "ws://127.0.0.1:$BARE_PORT/" --rate "$rate" ;;
      *) echo "unknown source '$source' in SOURCES" >&2; exit 1 ;;
    esac
  done
done
stop_helper bare
echo "edge totals: channel deliveries $(metric portico_edge_ws_channel_deliveries_total)," \
  "slow consumers closed $(metric portico_edge_ws_slow_consumers_total)"
print_rss "at the end"
stop_launcher
