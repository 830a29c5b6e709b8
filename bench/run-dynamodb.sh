#!/usr/bin/env bash
# The DynamoDB API benchmarks, on the whole suite as the launcher runs it (all services, defaults):
# after a warm-up of both write paths, at each rate of RATES in one run:
#   1. GetItem of existing items, and a Query of the 100 items under one partition key (which
#      returns all of them), both strongly consistent, each against the other;
#   2. PutItem through the DynamoDB API (its table has a global secondary index, so each put also
#      sends an index entry) against the REST write path (POST /prod/customer) at the same rate;
#   3. during the PutItem run, the index's propagation delay: a probe puts an item with a new index
#      key every PROBE_INTERVAL_MS and polls the index until a Query finds it.
# Builds nothing: run `mvn -B package -DskipTests` first.
#
# Tunables (environment): RATES (1000), WARM_RATES (300,1000), WARM_SECONDS (15), DURATION (20),
# WARMUP (5), CONNECTIONS (64), PROBE_INTERVAL_MS (20), LAUNCHER_JAR, BENCH_JAR, READY_TIMEOUT (90),
# BENCH_ARGS (e.g. --markdown), LAUNCHER_JAVA_OPTS, BENCH_JAVA_OPTS, LOG (launcher log file).
set -euo pipefail

cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
RATES=${RATES:-1000}
WARM_RATES=${WARM_RATES:-300,1000}
WARM_SECONDS=${WARM_SECONDS:-15}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-64}
PROBE_INTERVAL_MS=${PROBE_INTERVAL_MS:-20}
READY_URL=${READY_URL:-http://127.0.0.1:8090/ready}
WRITE_URL=${WRITE_URL:-http://127.0.0.1:8080/prod/customer}
DYNAMODB_URL=${DYNAMODB_URL:-http://127.0.0.1:8000}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra BENCH_EXTRA <<<"${BENCH_ARGS:-}"
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
done

DATA_DIR=$(mktemp -d -t portico-bench-data.XXXXXX)
LOG=${LOG:-$(mktemp -t portico-bench-launcher.XXXXXX.log)}

source bench/suite-lib.sh

cleanup() {
  stop_launcher
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench() { java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" "$@"; }

start_launcher

echo "warm-up: ${WARM_SECONDS}s at each of ${WARM_RATES} req/s on both write paths (not reported)"
bench write-path --url "$WRITE_URL" --rates "$WARM_RATES" --duration "$WARM_SECONDS" --warmup 0 \
  --connections "$CONNECTIONS" >/dev/null
bench dynamodb --url "$DYNAMODB_URL" --rates "$WARM_RATES" --duration "$WARM_SECONDS" --warmup 0 \
  --connections "$CONNECTIONS" >/dev/null

bench dynamodb --url "$DYNAMODB_URL" --rates "$RATES" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS" --probe-interval-ms "$PROBE_INTERVAL_MS" \
  ${BENCH_EXTRA[@]+"${BENCH_EXTRA[@]}"}
bench write-path --url "$WRITE_URL" --rates "$RATES" --duration "$DURATION" --warmup "$WARMUP" \
  --connections "$CONNECTIONS" ${BENCH_EXTRA[@]+"${BENCH_EXTRA[@]}"}
