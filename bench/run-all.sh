#!/usr/bin/env bash
# Every benchmark of the suite as users run it (the launcher: embedded broker + all five services,
# defaults on), each next to its floor or ceiling measured in the same run, with a verdict against
# the targets of the performance issue. Prints the Markdown table that goes into BENCHMARKS.md.
# Builds nothing: run `mvn -B package -DskipTests` first. Needs curl, wrk and nginx. About 14 min.
#
# Steps (one suite, started once, then killed with SIGKILL and started again on its data):
#   start-up: launch -> first write answered; RSS after start
#   warm-up (not reported); idle CPU of launcher + broker over IDLE_SECONDS
#   floor: the raw exactly-once round trip through customer-service (no HTTP, no edge), one at a
#     time and open loop at WRITE_RATE and at HIGH_RATE
#   write path POST /prod/customer at WRITE_RATE and at HIGH_RATE (over up to HIGH_CONNECTIONS
#     connections: a client pool caps throughput at connections / latency, Little's law);
#     conditional update PATCH at WRITE_RATE; ceiling: a bare Vert.x server with the same body at
#     WRITE_RATE
#   WebSocket fan-out while the write path runs at WRITE_RATE: FANOUT_RATE changes/s (PUT through
#     the edge) of one item to FANOUT_SUBSCRIBERS subscribers of its channel `customers/<id>`; then
#     FANOUT_RATE changes/s to FANOUT_SUBSCRIBERS subscribers of `customers`, who also get every
#     write (WRITE_RATE + FANOUT_RATE changes/s to each)
#   gateway: mock route vs bare Vert.x, http route vs nginx proxy_pass and vs a bare Vert.x proxy
#     (the JVM's ceiling for a proxy: bench.jar bare-proxy) (wrk, closed loop)
#   RSS after the load; restart after `kill -9` of the suite: launch -> first write answered, and
#     -> every service ready ("Portico is ready"); SIGTERM then: time to exit
#   floor of the idle figure: the broker alone on the suite's data, no client, IDLE_SECONDS
#   floor of the restart: the broker alone restarting on a copy of the same crashed data (log
#     recovery, no service), to accepting connections
#
# Tunables (environment): WRITE_RATE (1000), HIGH_RATE (5000), DURATION (20), WARMUP (5),
# WARMUP_RATE (600), WARMUP_ROUND_S (20), WARMUP_JIT_PCT (5), WARMUP_MAX_S (300), IDLE_SECONDS (60), FANOUT_RATE (50), FANOUT_SUBSCRIBERS (500), CONNECTIONS (64),
# HIGH_CONNECTIONS (512), WRK_DURATION (10), WRK_WARMUP (10: the JIT compiles each route's own code paths), LAUNCHER_JAR, BENCH_JAR, LAUNCHER_JAVA_OPTS, BENCH_JAVA_OPTS,
# GENERATOR_JAVA_OPTS (-XX:TieredStopAtLevel=1, for the HTTP and Kafka load generators only; empty for the full JIT),
# OUT (a file for the Markdown table; printed in any case).
set -euo pipefail
cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
WRITE_RATE=${WRITE_RATE:-1000}
HIGH_RATE=${HIGH_RATE:-5000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
WARMUP_RATE=${WARMUP_RATE:-600}
WARMUP_ROUND_S=${WARMUP_ROUND_S:-20}
WARMUP_JIT_PCT=${WARMUP_JIT_PCT:-5}
WARMUP_MAX_S=${WARMUP_MAX_S:-300}
IDLE_SECONDS=${IDLE_SECONDS:-60}
FANOUT_RATE=${FANOUT_RATE:-50}
FANOUT_SUBSCRIBERS=${FANOUT_SUBSCRIBERS:-500}
CONNECTIONS=${CONNECTIONS:-64}
HIGH_CONNECTIONS=${HIGH_CONNECTIONS:-512}
WRK_DURATION=${WRK_DURATION:-10}
WRK_WARMUP=${WRK_WARMUP:-10}
READY_TIMEOUT=${READY_TIMEOUT:-120}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"  # the heap README's command gives the launcher
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"
# Each HTTP and Kafka load generator is a fresh JVM whose C2 compiles would land in its measured
# window and take CPU from the suite on a small machine; C1 alone is done within the warm-up. The
# WebSocket subscribers (500 clients taking up to 130,000 frames/s) need C2: on C1 they fell behind
# and lost their subscriptions. The ceilings (the in-process `ceiling` server, bare-server,
# bare-proxy) keep the full JIT.
read -ra GENERATOR_OPTS <<<"${GENERATOR_JAVA_OPTS--XX:TieredStopAtLevel=1}"

# The targets (issue 12).
T_WRITE_P50=5 T_WRITE_P99=20          # ms, write path and conditional update at WRITE_RATE
T_IDLE_PCT=2                          # % of one core, launcher + broker, idle
T_RSS_MIB=1024                        # launcher + broker after the load
T_READY_S=10 T_RESTART_S=15           # s, launch -> first write answered
T_MOCK_RATIO=0.50 T_HTTP_RATIO=0.80   # of bare Vert.x / of nginx, same run
T_FANOUT_P50=50 T_FANOUT_P99=200      # ms, change -> client

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  [[ -f $jar ]] || { echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2; exit 1; }
done
NGINX=${NGINX:-$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true)}
for tool in curl wrk; do
  command -v $tool >/dev/null || { echo "$tool not found: apt-get install -y $tool" >&2; exit 1; }
done
[[ -n $NGINX ]] || { echo "nginx not found: apt-get install -y nginx" >&2; exit 1; }

WORK=$(mktemp -d -t portico-run-all.XXXXXX)
DATA_DIR=$WORK/data
LOG=$WORK/launcher.log
READY_URL=http://127.0.0.1:8090/ready
EDGE=http://127.0.0.1:8080
ADMIN_PORT=8081 # admin() of suite-lib.sh
ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
BACKEND_PORT=18081
NGINX_PORT=18082
CEILING_PORT=18083
BARE_PROXY_PORT=18084
# The gateway-wide limit (10,000/s, burst 5,000, as AWS accounts start with) is raised, as its users
# raise theirs, so the route benchmarks measure the gateway's cost rather than that limit.
LAUNCHER_ENV=(PORTICO_EDGE_ADMIN_TOKEN="$ADMIN_TOKEN" PORTICO_EDGE_THROTTLE_RATE=1000000
  PORTICO_EDGE_THROTTLE_BURST=1000000)
mkdir -p "$DATA_DIR"

# now_ms, descendants, rss_kb, start_launcher, stop_launcher, admin, deploy_bench_routes.
source bench/suite-lib.sh

declare -A HELPER_PID=()
declare -A RESULT=()
cleanup() {
  local status=$? name
  for name in "${!HELPER_PID[@]}"; do
    kill -TERM "${HELPER_PID[$name]}" 2>/dev/null || true
    wait "${HELPER_PID[$name]}" 2>/dev/null || true
  done
  stop_launcher
  if [[ -n ${BARE_BROKER_PID:-} ]]; then kill -TERM "$BARE_BROKER_PID" 2>/dev/null || true; fi
  if ((status == 0)); then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_java() { java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" "$@" 2>>"$WORK/bench.err"; }
generator_java() {
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} ${GENERATOR_OPTS[@]+"${GENERATOR_OPTS[@]}"} -jar "$BENCH_JAR" "$@" \
    2>>"$WORK/bench.err"
}

# Runs a bench.jar command and keeps its last result line under key $1.
measure() {
  local key=$1 out line run=generator_java
  shift
  if [[ $1 == ceiling || $1 == ws-fanout ]]; then run=bench_java; fi
  out=$($run "$@") || { echo "bench.jar $* failed:" >&2; tail -n 30 "$WORK/bench.err" >&2; exit 1; }
  line=$(grep '^scenario=' <<<"$out" | tail -n 1 || true)
  [[ -n $line ]] || { echo "bench.jar $* printed no result: $out" >&2; exit 1; }
  echo "  $line"
  RESULT[$key]=$line
}

# CPU ticks (1/100 s) of the launcher and its children (the broker).
suite_ticks() {
  local total=0 pid
  for pid in "$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
# Waits until a single write is answered within 100 ms again (a saturating run leaves a backlog).
settle() {
  local started seconds
  started=$(now_ms)
  while (($(now_ms) - started < 120000)); do
    seconds=$(curl -s -o /dev/null -w '%{time_total}' --max-time 5 -X POST "$EDGE/prod/customer" \
      -H 'content-type: application/json' -d "{\"customer_id\":\"settle-$(date +%s%N)\",\"price\":1}" || echo 9)
    if (($(ok "$seconds" 0.1))); then return 0; fi
    sleep 1
  done
  echo "  (the suite did not settle within 120 s)"
}

suite_rss_mib() {
  local total=0 pid
  for pid in "$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"); do total=$((total + $(rss_kb "$pid"))); done
  echo $((total / 1024))
}

wrk_run() {
  local key=$1 scenario=$2 url=$3 out line
  wrk -t1 -c"$CONNECTIONS" -d"${WRK_WARMUP}s" "$url" >/dev/null
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${WRK_DURATION}s" --timeout 10s -s "$WORK/report.lua" "$url")
  line=$(grep '^achieved=' <<<"$out" || true)
  [[ -n $line ]] || { echo "wrk printed no result: $out" >&2; exit 1; }
  RESULT[$key]="scenario=$scenario $line"
  echo "  ${RESULT[$key]}"
}
write_wrk_report "$WORK/report.lua"

# ---------------------------------------------------------------------------------------------
echo "start-up"
launched=$(now_ms)
start_launcher
READY_FIRST_MS=$(first_write_ms "$launched" "$EDGE/prod/customer")
READY_CPU_S=$(calc 'printf "%.1f", a / 100' "$(suite_ticks)")
echo "  launch -> first write answered: $READY_FIRST_MS ms; CPU used by then: $READY_CPU_S s"
RSS_START=$(suite_rss_mib)

warm_round() { generator_java write-path --rates "$WARMUP_RATE" --duration "$WARMUP_ROUND_S" --warmup 0 \
  --connections "$CONNECTIONS" >/dev/null; }
warm_until_jit_done warm_round
echo "  warm-up took $WARMUP_S s"

echo "idle: ${IDLE_SECONDS} s after the warm-up"
sleep 10 # the tail of the warm-up (commits, metric periods) settles
t0=$(suite_ticks)
sleep "$IDLE_SECONDS"
IDLE_PCT=$(calc 'printf "%.2f", a / b' "$(($(suite_ticks) - t0))" "$IDLE_SECONDS")
echo "  launcher + broker: $IDLE_PCT% of one core"

echo "floor: the raw exactly-once round trip through customer-service"
measure floor kafka-round-trip
measure floor-open kafka-round-trip --rate "$WRITE_RATE" --duration "$DURATION" --warmup "$WARMUP"
measure floor-high kafka-round-trip --rate "$HIGH_RATE" --duration "$DURATION" --warmup "$WARMUP"
settle

echo "write path, conditional update, ceiling"
measure write write-path --rates "$WRITE_RATE" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS"
settle
measure high write-path --rates "$HIGH_RATE" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$HIGH_CONNECTIONS"
settle
measure update item-ops --operation update --rates "$WRITE_RATE" --duration "$DURATION" \
  --warmup "$WARMUP" --connections "$CONNECTIONS"
measure ceiling ceiling --port "$CEILING_PORT" --rates "$WRITE_RATE" --duration "$DURATION" \
  --warmup "$WARMUP" --connections "$CONNECTIONS"

# WebSocket fan-out while writes run at WRITE_RATE in the background for the whole scenario
# (subscribers connecting, warm-up, measured seconds, drain): $1 keys the results ($1 and
# $1-writes), the other arguments go to ws-fanout.
fanout_under_writes() {
  local key=$1 background
  shift
  generator_java write-path --scenario background --rates "$WRITE_RATE" \
    --duration $((DURATION + 40)) --warmup 0 --connections "$CONNECTIONS" >"$WORK/$key-writes.out" &
  background=$!
  measure "$key" ws-fanout --source put --put-url "$EDGE/prod/customer" --rate "$FANOUT_RATE" \
    --subscribers "$FANOUT_SUBSCRIBERS" --duration "$DURATION" --warmup "$WARMUP" "$@"
  wait "$background"
  RESULT[$key-writes]=$(grep '^scenario=' "$WORK/$key-writes.out" | tail -n 1)
  echo "  ${RESULT[$key-writes]}"
}

settle
FANOUT_ITEM="fanout-$(date +%s)"
echo "WebSocket fan-out (${FANOUT_RATE} changes/s of one item to $FANOUT_SUBSCRIBERS subscribers of customers/$FANOUT_ITEM) while writing at $WRITE_RATE/s"
fanout_under_writes fanout-item --scenario ws-fanout-item --put-item "$FANOUT_ITEM" \
  --channel "customers/$FANOUT_ITEM"
settle
echo "WebSocket fan-out (${FANOUT_RATE} changes/s to $FANOUT_SUBSCRIBERS subscribers of customers, who also get the writes) while writing at $WRITE_RATE/s"
fanout_under_writes fanout

echo "gateway routes (wrk -t1 -c$CONNECTIONS, ${WRK_WARMUP}s + ${WRK_DURATION}s each)"
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" bare-server --port "$BACKEND_PORT" \
  --status 200 >"$WORK/backend.log" 2>&1 &
HELPER_PID[backend]=$!
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" bare-proxy --port "$BARE_PROXY_PORT" \
  --backend-port "$BACKEND_PORT" --pool "$CONNECTIONS" >"$WORK/bare-proxy.log" 2>&1 &
HELPER_PID[bare-proxy]=$!
write_nginx_conf "$WORK/nginx" "$NGINX_PORT" "$BACKEND_PORT"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
  -g 'daemon off;' >"$WORK/nginx.log" 2>&1 &
HELPER_PID[nginx]=$!
until curl -sf -o /dev/null "http://127.0.0.1:$BACKEND_PORT/" && curl -sf -o /dev/null \
  "http://127.0.0.1:$NGINX_PORT/" && curl -sf -o /dev/null "http://127.0.0.1:$BARE_PROXY_PORT/"; do
  sleep 0.2
done
deploy_bench_routes run-all "$BACKEND_PORT"
wrk_run mock edge-mock-route "$EDGE/bench/mock"
wrk_run bare bare-vertx "http://127.0.0.1:$BACKEND_PORT/"
wrk_run http edge-http-route "$EDGE/bench/proxy"
wrk_run nginx nginx-proxy-pass "http://127.0.0.1:$NGINX_PORT/"
wrk_run bare-proxy bare-vertx-proxy "http://127.0.0.1:$BARE_PROXY_PORT/"
for name in nginx bare-proxy backend; do kill "${HELPER_PID[$name]}"; wait "${HELPER_PID[$name]}" || true; done
HELPER_PID=()

RSS_LOAD=$(suite_rss_mib)
echo "  RSS after the load: $RSS_LOAD MiB"

echo "restart after kill -9 of the suite"
victims=("$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"))
kill -KILL "${victims[@]}"
wait "$LAUNCHER_PID" 2>/dev/null || true
LAUNCHER_PID=""
# The restart's floor, measured at the end: the broker alone recovering this same crash.
cp -a "$DATA_DIR/kafka" "$WORK/crashed-kafka"
banners_before=$(grep -c 'Portico is ready' "$LOG" || true)
relaunched=$(now_ms)
start_launcher_quiet() {
  env ${LAUNCHER_ENV[@]+"${LAUNCHER_ENV[@]}"} PORTICO_DATA_DIR="$DATA_DIR" \
    java ${LAUNCHER_OPTS[@]+"${LAUNCHER_OPTS[@]}"} -jar "$LAUNCHER_JAR" >>"$LOG" 2>&1 &
  LAUNCHER_PID=$!
}
start_launcher_quiet
RESTART_MS=$(first_write_ms "$relaunched" "$EDGE/prod/customer")
RESTART_CPU_S=$(calc 'printf "%.1f", a / 100' "$(suite_ticks)")
echo "  kill -9 -> first write answered: $RESTART_MS ms; CPU used by then: $RESTART_CPU_S s"
# Every service ready again (the launcher's banner): triggers, the WebSocket fan-out, metrics and
# alarms work again, not only the write path.
until (($(grep -c 'Portico is ready' "$LOG" || true) > banners_before)); do
  if (($(now_ms) - relaunched > READY_TIMEOUT * 1000)); then echo "not ready again" >&2; exit 1; fi
  sleep 0.1
done
RESTART_READY_MS=$(($(now_ms) - relaunched))
echo "  kill -9 -> every service ready: $RESTART_READY_MS ms"

echo "stop once the restarted suite is ready: SIGTERM -> exit"
stopping=$(now_ms)
stop_launcher >"$WORK/stop.txt"
STOP_REPORT=$(tail -n 1 "$WORK/stop.txt")
STOP_MS=$(($(now_ms) - stopping))
echo "  $STOP_REPORT after $STOP_MS ms"

echo "floor: the broker alone on the suite's data (no service, no client), idle"
java "-Xmx${PORTICO_BROKER_HEAP:-256m}" -XX:+UseG1GC -cp "$LAUNCHER_JAR" kafka.Kafka \
  "$DATA_DIR/kafka/server.properties" >>"$LOG" 2>&1 &
BARE_BROKER_PID=$!
until (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; do sleep 0.2; done
sleep 30 # its start-up compiles and loads like the suite's warm-up did
t0=$(awk '{print $14 + $15}' "/proc/$BARE_BROKER_PID/stat")
sleep "$IDLE_SECONDS"
BARE_IDLE_PCT=$(calc 'printf "%.2f", a / b' \
  "$(($(awk '{print $14 + $15}' "/proc/$BARE_BROKER_PID/stat") - t0))" "$IDLE_SECONDS")
kill -TERM "$BARE_BROKER_PID"
wait "$BARE_BROKER_PID" 2>/dev/null || true
BARE_BROKER_PID=""
echo "  broker alone: $BARE_IDLE_PCT% of one core"

echo "floor: the broker alone restarting on a copy of the data the kill -9 left (no service)"
sed -i "s#^log.dirs=.*#log.dirs=$WORK/crashed-kafka#" "$WORK/crashed-kafka/server.properties"
# With the class archive the launcher gives its broker child, when there is one (it was recorded
# for the jar's real path).
ARCHIVE_OPTS=()
for archive in "$(dirname "$(readlink -f "$LAUNCHER_JAR")")"/portico-broker-*.jsa; do
  [[ -f $archive ]] && ARCHIVE_OPTS=("-XX:SharedArchiveFile=$archive")
done
recovering=$(now_ms)
java "-Xmx${PORTICO_BROKER_HEAP:-256m}" -XX:+UseG1GC ${ARCHIVE_OPTS[@]+"${ARCHIVE_OPTS[@]}"} \
  -cp "$(readlink -f "$LAUNCHER_JAR")" kafka.Kafka "$WORK/crashed-kafka/server.properties" >>"$LOG" 2>&1 &
BARE_BROKER_PID=$!
# Its listener accepts connections once the broker has recovered its logs and started.
until (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null; do
  if (($(now_ms) - recovering > READY_TIMEOUT * 1000)); then echo "broker alone not up" >&2; exit 1; fi
  sleep 0.05
done
BROKER_RESTART_MS=$(($(now_ms) - recovering))
kill -TERM "$BARE_BROKER_PID"
wait "$BARE_BROKER_PID" 2>/dev/null || true
BARE_BROKER_PID=""
rm -rf "$WORK/crashed-kafka"
echo "  broker alone, restart after kill -9 -> accepting connections: $BROKER_RESTART_MS ms"

# ---------------------------------------------------------------------------------------------
verdict() { if (($1)); then echo "met"; else echo "**not met**"; fi; }
lat() { printf '%s / %s / %s / %s' "$(field "$1" p50)" "$(field "$1" p99)" "$(field "$1" p99.9)" "$(field "$1" max)"; }
fails() { echo $(($(field "$1" non2xx) + $(field "$1" errors))); }
# The CPU of a measured window: every core's busy time and the load generator's own, in % of a core.
cpu() { printf 'CPU: machine %s of %s%%, load generator %s' "$(field "$1" machine-cpu)" "$(($(nproc) * 100))" "$(field "$1" generator-cpu)"; }
fanout_cpu() { printf 'CPU: machine %s of %s%%, load generators %s (subscribers and PUTs) + %s (writes)' "$(field "$1" machine-cpu)" "$(($(nproc) * 100))" "$(field "$1" generator-cpu)" "$(field "$1-writes" generator-cpu)"; }
ratio() { calc 'printf "%.0f%%", 100 * a / b' "$(field "$1" achieved)" "$(field "$2" achieved)"; }

write_ok=$(($(ok "$(field write p50)" $T_WRITE_P50) && $(ok "$(field write p99)" $T_WRITE_P99)))
update_ok=$(($(ok "$(field update p50)" $T_WRITE_P50) && $(ok "$(field update p99)" $T_WRITE_P99)))
high_ok=$(($(calc 'print ((a >= 0.99 * b) ? 1 : 0)' "$(field high achieved)" "$HIGH_RATE") && $(fails high) == 0))
fanout_ok() {
  echo $(($(ok "$(field "$1" p50)" $T_FANOUT_P50) && $(ok "$(field "$1" p99)" $T_FANOUT_P99) \
    && $(field "$1" expected) == $(field "$1" delivered)))
}
mock_ok=$(awk -v a="$(field mock achieved)" -v b="$(field bare achieved)" -v c=$T_MOCK_RATIO 'BEGIN{print (a/b>=c)?1:0}')
http_ok=$(awk -v a="$(field http achieved)" -v b="$(field nginx achieved)" -v c=$T_HTTP_RATIO \
  -v p="$(field http p99)" -v q="$(field nginx p99)" 'BEGIN{print (a/b>=c && p<=2*q)?1:0}')

{
  echo "## The suite as users run it — $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`bench/run-all.sh\`. Warm-up until the JIT was done: $WARMUP_S s. Machine: $(nproc) cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo) GiB, $(java -version 2>&1 | head -n 1); load generators, suite and references share the cores."
  echo
  echo "| what | measured (p50 / p99 / p99.9 / max ms) | floor or ceiling, same run | target | verdict |"
  echo "|---|---|---|---|---|"
  echo "| write path \`POST /prod/customer\` at $WRITE_RATE/s | $(lat write); $(field write achieved)/s, $(fails write) failed; $(cpu write) | raw exactly-once round trip at $WRITE_RATE/s: $(lat floor-open); bare Vert.x: $(lat ceiling) | p50 ≤ $T_WRITE_P50, p99 ≤ $T_WRITE_P99 | $(verdict $write_ok) |"
  echo "| write path, $HIGH_RATE/s offered ($HIGH_CONNECTIONS connections) | $(field high achieved)/s sustained, $(fails high) failed; $(lat high); $(cpu high) | raw exactly-once round trip at $HIGH_RATE/s offered: $(field floor-high achieved)/s sustained, $(fails floor-high) failed; $(lat floor-high); $(cpu floor-high) | ≥ $HIGH_RATE/s, 0 errors | $(verdict $high_ok) |"
  echo "| conditional update \`PATCH\` at $WRITE_RATE/s | $(lat update); $(fails update) failed; $(cpu update) | raw exactly-once round trip (a create) at $WRITE_RATE/s: $(lat floor-open) | p50 ≤ $T_WRITE_P50, p99 ≤ $T_WRITE_P99 | $(verdict $update_ok) |"
  echo "| floor: raw exactly-once round trip, one at a time | $(lat floor) | | (the floor) | reported |"
  echo "| idle suite, launcher + broker | $IDLE_PCT% of one core | the broker alone on the suite's data, no client: $BARE_IDLE_PCT% | ≤ $T_IDLE_PCT% | $(verdict "$(ok "$IDLE_PCT" $T_IDLE_PCT)") |"
  echo "| RSS launcher + broker | $RSS_START MiB after start, $RSS_LOAD MiB after the load | | ≤ $T_RSS_MIB MiB | $(verdict "$(ok "$RSS_LOAD" $T_RSS_MIB)") |"
  echo "| ready: launch to first write answered | $(calc 'printf "%.1f s", a / 1000' "$READY_FIRST_MS") | CPU used by launcher + broker until then: $READY_CPU_S s (the $(nproc) cores give $(calc 'printf "%.1f", a * b / 1000' "$(nproc)" "$READY_FIRST_MS") s in that time) | ≤ $T_READY_S s | $(verdict "$(ok "$READY_FIRST_MS" $((T_READY_S * 1000)))") |"
  echo "| restart after \`kill -9\` of the suite: writes answered again | $(calc 'printf "%.1f s", a / 1000' "$RESTART_MS") | CPU used by launcher + broker until then: $RESTART_CPU_S s (the $(nproc) cores give $(calc 'printf "%.1f", a * b / 1000' "$(nproc)" "$RESTART_MS") s in that time); the broker alone restarting on a copy of the same crashed data, no service: $(calc 'printf "%.1f s", a / 1000' "$BROKER_RESTART_MS") to accepting connections | ≤ $T_RESTART_S s | $(verdict "$(ok "$RESTART_MS" $((T_RESTART_S * 1000)))") |"
  echo "| restart after \`kill -9\`: every service ready again (\"Portico is ready\") | $(calc 'printf "%.1f s", a / 1000' "$RESTART_READY_MS") | | | reported |"
  echo "| SIGTERM once the restarted suite is ready: exit | $(calc 'printf "%.1f s", a / 1000' "$STOP_MS") ($STOP_REPORT) | | | reported |"
  echo "| mock route (wrk -t1 -c$CONNECTIONS) | $(field mock achieved)/s, $(lat mock) | bare Vert.x: $(field bare achieved)/s, $(lat bare); ratio $(ratio mock bare) | ≥ $(calc 'printf "%.0f%%", a * 100' $T_MOCK_RATIO) | $(verdict "$mock_ok") |"
  echo "| http route (wrk -t1 -c$CONNECTIONS) | $(field http achieved)/s, $(lat http) | nginx proxy_pass: $(field nginx achieved)/s, $(lat nginx); ratio $(ratio http nginx). Bare Vert.x proxy: $(field bare-proxy achieved)/s, $(lat bare-proxy); $(ratio bare-proxy nginx) of nginx, the edge $(ratio http bare-proxy) of it | ≥ $(calc 'printf "%.0f%%", a * 100' $T_HTTP_RATIO), p99 ≤ 2x nginx | $(verdict "$http_ok") |"
  echo "| WebSocket fan-out, $FANOUT_RATE changes/s of one item to $FANOUT_SUBSCRIBERS subscribers of its channel \`customers/<id>\`, writes at $WRITE_RATE/s | change to client $(lat fanout-item); $(field fanout-item delivered) of $(field fanout-item expected) delivered; $(field fanout-item all-frames/s) frames/s in all; the PUTs answered $(field fanout-item put-p50) / $(field fanout-item put-p99); $(fanout_cpu fanout-item) | writes meanwhile: $(lat fanout-item-writes) | p50 ≤ $T_FANOUT_P50, p99 ≤ $T_FANOUT_P99, nothing lost | $(verdict "$(fanout_ok fanout-item)") |"
  echo "| WebSocket fan-out, $FANOUT_RATE changes/s to $FANOUT_SUBSCRIBERS subscribers of \`customers\`, writes at $WRITE_RATE/s (on \`customers\` too) | change to client $(lat fanout); $(field fanout delivered) of $(field fanout expected) delivered; $(field fanout all-frames/s) frames/s in all; the PUTs answered $(field fanout put-p50) / $(field fanout put-p99); $(fanout_cpu fanout) | writes meanwhile: $(lat fanout-writes) | p50 ≤ $T_FANOUT_P50, p99 ≤ $T_FANOUT_P99, nothing lost | $(verdict "$(fanout_ok fanout)") |"
} | tee "${OUT:-/dev/null}"
