#!/usr/bin/env bash
# The function SDKs behind the gateway: the same echo function written with the Java SDK
# (bench.jar sdk-echo-function), the Node.js SDK (bench/sdk-echo/echo.js) and the Python SDK
# (bench/sdk-echo/echo.py), each behind the same kind of route (POST, kafka sync integration keyed
# by the body's customer_id, as run-gateway.sh's /echo), measured one after the other with the
# suite running (launcher, embedded broker, all five services): open loop at RATE (1,000) req/s
# with bench.jar's write-path generator, after an unreported warm-up of the route. Prints p50, p99,
# p99.9 and the achieved rate per SDK, and the handler's mean time from the SDK's own /metrics
# (portico_function_handler_duration_seconds), as a Markdown table.
#
# Only one function runs at a time (started, probed until its route answers 200, warmed up,
# measured, stopped with SIGTERM), so each has the machine to itself but for the suite. Before the
# first, the suite itself is warmed up with writes until its JIT is done (as run-all.sh does): the
# JIT compiles the edge's and the services' hot paths for minutes on 2 cores and would otherwise
# slow whichever SDK runs first. The SDKs are then measured in ROUNDS rounds, every other round in
# the reverse order, so that no SDK always runs first or last. Every SDK
# commits a transaction per batch (exactly once), so the figures include each SDK's transactional
# loop as users run it; bench/run-functions.sh measures the same SDKs without the edge.
#
# Builds nothing: run `mvn -B package -DskipTests` first. Needs curl, node with
# function-sdk-node's node_modules (installed with npm ci when missing), and a Python with
# confluent-kafka (Debian: apt-get install python3-confluent-kafka).
#
# Tunables (environment): RATE (1000), DURATION (20), WARMUP (5), WARM_RATES (300,1000) and
# WARM_SECONDS (10) (the unreported warm-up of each route), ROUNDS (2), WARMUP_RATE (600),
# WARMUP_ROUND_S (20), WARMUP_JIT_PCT (5), WARMUP_MAX_S (300) (the suite's warm-up, as in
# run-all.sh), CONNECTIONS (64; the open loop's pool),
# LANGUAGES (java node python), PYTHON (/usr/bin/python3), PORT_OFFSET (0; added to every port of
# the suite: 8080-8081, 8090-8094, 9092-9093), METRICS_PORT (18090; the functions' /metrics, the
# next free port if taken), PROBE_TIMEOUT (90 s for a function's route to answer), LAUNCHER_JAR,
# BENCH_JAR, READY_TIMEOUT (90), STOP_TIMEOUT (30), LAUNCHER_JAVA_OPTS, BENCH_JAVA_OPTS (the load
# generator and the Java function).
set -euo pipefail

cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
RATE=${RATE:-1000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
WARM_RATES=${WARM_RATES:-300,1000}
WARM_SECONDS=${WARM_SECONDS:-10}
ROUNDS=${ROUNDS:-2}
WARMUP_RATE=${WARMUP_RATE:-600}
WARMUP_ROUND_S=${WARMUP_ROUND_S:-20}
WARMUP_JIT_PCT=${WARMUP_JIT_PCT:-5}
WARMUP_MAX_S=${WARMUP_MAX_S:-300}
CONNECTIONS=${CONNECTIONS:-64}
LANGUAGES=${LANGUAGES:-java node python}
PYTHON=${PYTHON:-/usr/bin/python3}
PORT_OFFSET=${PORT_OFFSET:-0}
METRICS_PORT=${METRICS_PORT:-18090}
PROBE_TIMEOUT=${PROBE_TIMEOUT:-90}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
TOPIC_PREFIX=${PORTICO_TOPIC_PREFIX:-portico.}
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}" # the heap README's command gives the launcher
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
done
command -v curl >/dev/null || { echo "curl not found: sudo apt-get install -y curl" >&2; exit 1; }
for language in $LANGUAGES; do
  case $language in
    java) ;;
    node)
      command -v node >/dev/null || { echo "node not found" >&2; exit 1; }
      [[ -d function-sdk-node/node_modules/kafkajs ]] ||
        npm ci --silent --no-audit --no-fund --prefix function-sdk-node
      ;;
    python)
      "$PYTHON" -c 'import confluent_kafka' 2>/dev/null || {
        echo "$PYTHON lacks confluent_kafka: apt-get install python3-confluent-kafka" >&2
        exit 1
      }
      ;;
    *) echo "unknown language '$language' (java, node, python)" >&2; exit 1 ;;
  esac
done

# now_ms, start_launcher, stop_launcher, suite_on_ports, port_in_use, admin, field, calc,
# warm_until_jit_done.
source bench/suite-lib.sh
suite_on_ports "$PORT_OFFSET"
EDGE=http://127.0.0.1:$EDGE_PORT/sdkbench
while port_in_use "$METRICS_PORT"; do METRICS_PORT=$((METRICS_PORT + 1)); done

WORK=$(mktemp -d -t portico-sdk-bench.XXXXXX)
DATA_DIR=$WORK/data
LOG=$WORK/launcher.log
mkdir -p "$DATA_DIR"


FUNCTION_PID=""

# SIGTERM (the SDKs commit and leave the group), SIGKILL after 20 s.
stop_function() {
  [[ -n $FUNCTION_PID ]] || return 0
  local pid=$FUNCTION_PID deadline=$(($(date +%s) + 20))
  FUNCTION_PID=""
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  stop_function
  stop_launcher
  rm -rf "$DATA_DIR"
  if ((status == 0)); then
    rm -rf "$WORK"
  else
    echo "logs kept in $WORK" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_java() { java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" "$@"; }

declare -A RESULT=()

topic_of() { echo "${TOPIC_PREFIX}bench.sdk-echo-$1"; }

# The function of SDK $1, started in the background with its /metrics on METRICS_PORT.
start_function() {
  local language=$1 command
  case $language in
    java) command=(java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" sdk-echo-function) ;;
    node) command=(node bench/sdk-echo/echo.js) ;;
    python) command=("$PYTHON" bench/sdk-echo/echo.py) ;;
  esac
  env PORTICO_KAFKA_BOOTSTRAP="$BOOTSTRAP" PORTICO_FUNCTION_TOPIC="$(topic_of "$language")" \
    PORTICO_FUNCTION_INSTANCE=bench PORTICO_TOPIC_PARTITIONS=4 \
    PORTICO_FUNCTION_METRICS_PORT="$METRICS_PORT" PORTICO_FUNCTION_METRICS_HOST=127.0.0.1 \
    "${command[@]}" >"$WORK/function-$language.log" 2>&1 &
  FUNCTION_PID=$!
  echo "  started: ${command[*]} on $(topic_of "$language") (pid $FUNCTION_PID)"
}

PROBE='{"customer_id":"probe","customer_name":"KilDong","product_name":"laptop","price":990000}'

# Until the route answers 200 with the body it was sent: the function created its topic, joined
# its group and serves.
await_route() {
  local language=$1 url=$EDGE/echo-$1 deadline=$(($(date +%s) + PROBE_TIMEOUT)) code
  while true; do
    code=$(curl -sS -o "$WORK/probe.out" -w '%{http_code}' --max-time 15 \
      -H 'content-type: application/json' -d "$PROBE" "$url" 2>/dev/null || true)
    if [[ $code == 200 ]]; then
      if [[ $(cat "$WORK/probe.out") != "$PROBE" ]]; then
        echo "$url answered 200 but not the echo: $(cat "$WORK/probe.out")" >&2
        exit 1
      fi
      return 0
    fi
    if ! kill -0 "$FUNCTION_PID" 2>/dev/null || (($(date +%s) > deadline)); then
      echo "$url answered '$code' (not 200) for ${PROBE_TIMEOUT}s; the function's log:" >&2
      tail -n 30 "$WORK/function-$language.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# The handler's mean time in ms from the SDK's own /metrics (sum / count of its histogram).
handler_mean_ms() {
  curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" | awk '
    /^portico_function_handler_duration_seconds_sum/ { sum = $NF }
    /^portico_function_handler_duration_seconds_count/ { count = $NF }
    END { if (count > 0) printf "%.3f", 1000 * sum / count; else print "-" }'
}

# ---------------------------------------------------------------------------------------------

start_launcher

{
  printf 'openapi: 3.0.3\ninfo: {title: sdk-bench, version: "1"}\npaths:\n'
  for language in $LANGUAGES; do
    cat <<EOF
  /echo-$language:
    post:
      operationId: echo-$language
      x-portico-integration:
        type: kafka
        topic: $(topic_of "$language")
        key: \$request.body.customer_id
        mode: sync
        timeoutMs: 10000
EOF
  done
} >"$WORK/sdk-bench.yaml"
admin PUT /apis/sdk-bench -H 'content-type: application/yaml' --data-binary "@$WORK/sdk-bench.yaml"
admin POST /apis/sdk-bench/deployments -H 'content-type: application/json' \
  -d '{"stage":"sdkbench","description":"bench/run-sdk-functions.sh"}'

# The suite's own warm-up: writes through the bundled customers API, which take the same edge path
# (kafka sync integration, reply listener) as the SDK routes.
warm_round() {
  bench_java write-path --url "http://127.0.0.1:$EDGE_PORT/prod/customer" --rates "$WARMUP_RATE" \
    --duration "$WARMUP_ROUND_S" --warmup 0 --connections "$CONNECTIONS" >/dev/null 2>>"$WORK/bench.err"
}
warm_until_jit_done warm_round
echo "  the suite's warm-up took $WARMUP_S s"

read -ra ORDER <<<"$LANGUAGES"
declare -A HANDLER_MS=()
ROWS=()
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round > 1)); then # every other round in the reverse order
    reversed=()
    for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do reversed+=("${ORDER[i]}"); done
    ORDER=("${reversed[@]}")
  fi
  position=0
  for language in "${ORDER[@]}"; do
    position=$((position + 1))
    key="$round-$language"
    echo "== round $round, $language SDK echo behind POST /sdkbench/echo-$language: open loop, $RATE req/s, ${WARMUP}s + ${DURATION}s"
    start_function "$language"
    await_route "$language"
    echo "  warm-up: ${WARM_SECONDS}s at each of $WARM_RATES req/s (not reported)"
    warm_route "$EDGE/echo-$language" "$WARM_RATES" "$WARM_SECONDS" "$CONNECTIONS"
    measure "$key" write-path --scenario "sdk-echo-$language" --url "$EDGE/echo-$language" \
      --rates "$RATE" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS"
    HANDLER_MS[$key]=$(handler_mean_ms)
    stop_function
    ROWS+=("$key $language $round $position")
  done
done

cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
java_version=$(java -version 2>&1 | head -n 1)
echo
echo "## Function SDKs behind the gateway — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) cores ($cpu_model); $java_version; node $(node --version 2>/dev/null || echo -);" \
  "$("$PYTHON" --version 2>&1). Suite running (all five services), one echo function at a time," \
  "POST route, kafka sync integration; open loop at $RATE req/s (bench.jar write-path," \
  "$CONNECTIONS connections), ${WARMUP}s warm-up + ${DURATION}s measured, after ${WARM_SECONDS}s at each of $WARM_RATES req/s;" \
  "the suite warmed up first for $WARMUP_S s at $WARMUP_RATE writes/s (until its JIT was done, ${WARMUP_MAX_S} s at most); $ROUNDS rounds, every other one in the reverse order."
echo
echo "| SDK | round (position) | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | non-2xx / errors | handler mean ms (its /metrics) |"
echo "|---|---|---|---|---|---|---|---|---|"
for row in "${ROWS[@]}"; do
  read -r key language round position <<<"$row"
  printf '| %s | %s (%s) | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$language" "$round" "$position" \
    "$(field "$key" achieved)" "$(field "$key" p50)" "$(field "$key" p99)" \
    "$(field "$key" p99.9)" "$(field "$key" max)" "$(field "$key" non2xx)" \
    "$(field "$key" errors)" "${HANDLER_MS[$key]}"
done
