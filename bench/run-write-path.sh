#!/usr/bin/env bash
# Starts the Portico suite, measures time-to-ready and memory, then runs the write-path benchmark
# and the bare Vert.x ceiling. Builds nothing: run `mvn -B package -DskipTests` first.
#
# Tunables (environment): RATES (1000,5000), ITEM_RATES (1000,5000), WARM_RATES (300,600,1000), WARM_SECONDS (15), DURATION (20), WARMUP (5), CONNECTIONS (512:
# the pool opens connections as requests need them; 64 would cap 5,000/s at 64 / latency),
# CEILING_PORT (18080), LAUNCHER_JAR, BENCH_JAR, READY_TIMEOUT (90), BENCH_ARGS (e.g. --markdown),
# LAUNCHER_JAVA_OPTS, BENCH_JAVA_OPTS, LOG (launcher log file).
set -euo pipefail

cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
RATES=${RATES:-1000,5000}
WARM_RATES=${WARM_RATES:-300,600,1000}
ITEM_RATES=${ITEM_RATES:-1000,5000}
WARM_SECONDS=${WARM_SECONDS:-15}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-512}
CEILING_PORT=${CEILING_PORT:-18080}
READY_URL=${READY_URL:-http://127.0.0.1:8090/ready}
WRITE_URL=${WRITE_URL:-http://127.0.0.1:8080/prod/customer}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra BENCH_EXTRA <<<"${BENCH_ARGS:-}"
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"  # the heap README's command gives the launcher
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
done

DATA_DIR=$(mktemp -d -t portico-bench-data.XXXXXX)
LOG=${LOG:-$(mktemp -t portico-bench-launcher.XXXXXX.log)}

# now_ms, descendants, print_rss, start_launcher, stop_launcher.
source bench/suite-lib.sh

cleanup() {
  stop_launcher
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap stops the launcher.
trap 'exit 130' INT
trap 'exit 143' TERM

start_launcher
print_rss "after start"

# The suite's JVMs start cold: an open-loop run against unwarmed code falls behind and then
# queues for the rest of the run. Warm up first, report nothing.
echo "warm-up: ${WARM_SECONDS}s at each of ${WARM_RATES} req/s (not reported)"
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" write-path --url "$WRITE_URL" \
  --rates "$WARM_RATES" --duration "$WARM_SECONDS" --warmup 0 --connections "$CONNECTIONS" >/dev/null

# The floor: the same put straight to Kafka, answered by customer-service, no HTTP or edge.
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" kafka-round-trip

java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" write-path --url "$WRITE_URL" \
  --rates "$RATES" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" \
  ${BENCH_EXTRA[@]+"${BENCH_EXTRA[@]}"}

# Conditional updates and consistent reads of existing items, same generator.
for operation in update read; do
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" item-ops --operation "$operation" \
    --rates "$ITEM_RATES" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" \
    ${BENCH_EXTRA[@]+"${BENCH_EXTRA[@]}"}
done

# The ceiling runs while the (now idle) suite is still up, i.e. on the same busy machine.
java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" ceiling --port "$CEILING_PORT" \
  --rates "$RATES" --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" \
  ${BENCH_EXTRA[@]+"${BENCH_EXTRA[@]}"}

print_rss "after load"
stop_launcher
