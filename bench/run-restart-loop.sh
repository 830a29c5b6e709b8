#!/usr/bin/env bash
# Restarts the suite after `kill -9` again and again on the same data, with writes between the
# kills. For each restart: the time from launch to the first answered write, how long each group
# coordinator took to load its __consumer_offsets partition and how many records it read (from
# broker.log), and how often a coordinator found its state behind its log ("out of sync"). For
# failures that show in one restart of several; run-all.sh restarts once.
# Builds nothing: run `mvn -B package -DskipTests` first.
#
# Tunables (environment): RESTARTS (5), FIRST_LOAD_SECONDS (60: writes before the first kill),
# LOAD_SECONDS (20: writes before each later kill), LOAD_RATE (1000), READY_TIMEOUT (90: a restart
# that answers no write by then is a failure, and the loop stops there, keeping the data),
# LAUNCHER_JAR, BENCH_JAR, LAUNCHER_JAVA_OPTS, GENERATOR_JAVA_OPTS.
set -euo pipefail

cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
RESTARTS=${RESTARTS:-5}
FIRST_LOAD_SECONDS=${FIRST_LOAD_SECONDS:-60}
LOAD_SECONDS=${LOAD_SECONDS:-20}
LOAD_RATE=${LOAD_RATE:-1000}
READY_URL=${READY_URL:-http://127.0.0.1:8090/ready}
WRITE_URL=${WRITE_URL:-http://127.0.0.1:8080/prod/customer}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"
# The load is not measured here: the quick JIT keeps the generator's own compiles small.
read -ra GENERATOR_OPTS <<<"${GENERATOR_JAVA_OPTS:--XX:TieredStopAtLevel=1}"

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
done

DATA_DIR=$(mktemp -d -t portico-restart-loop.XXXXXX)
LOG=$DATA_DIR/launcher.log
BROKER_LOG=$DATA_DIR/kafka/broker.log
KEEP_DATA=0

# now_ms, descendants, start_launcher, stop_launcher, first_write_ms.
source bench/suite-lib.sh

cleanup() {
  stop_launcher >/dev/null
  if ((KEEP_DATA)); then echo "data and logs kept in $DATA_DIR"; else rm -rf "$DATA_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

load() {
  java ${GENERATOR_OPTS[@]+"${GENERATOR_OPTS[@]}"} -jar "$BENCH_JAR" write-path --url "$WRITE_URL" \
    --rates "$LOAD_RATE" --duration "$1" --warmup 0 --connections 512 2>/dev/null |
    grep -o 'achieved=[^ ]*' || true
}

kill_suite() {
  local victims=("$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"))
  kill -KILL "${victims[@]}" 2>/dev/null || true
  wait "$LAUNCHER_PID" 2>/dev/null || true
  LAUNCHER_PID=""
}

# The coordinators' loads logged since line $1 of broker.log, one line each.
coordinator_loads() {
  tail -n +"$1" "$BROKER_LOG" |
    sed -nE 's/.*Finished loading of metadata from (__consumer_offsets-[0-9]+) with epoch ([0-9]+) in ([0-9]+)ms.*Loaded ([0-9]+) records.*/    \1 (epoch \2): \4 records in \3 ms/p'
}

start_launcher
echo "writes at $LOAD_RATE/s for ${FIRST_LOAD_SECONDS}s: $(load "$FIRST_LOAD_SECONDS")"
failures=0
ran=0
for ((i = 1; i <= RESTARTS; i++)); do
  ran=$i
  kill_suite
  from=$(($(wc -l <"$BROKER_LOG") + 1))
  relaunched=$(now_ms)
  env PORTICO_DATA_DIR="$DATA_DIR" \
    java ${LAUNCHER_OPTS[@]+"${LAUNCHER_OPTS[@]}"} -jar "$LAUNCHER_JAR" >>"$LOG" 2>&1 &
  LAUNCHER_PID=$!
  if first=$(first_write_ms "$relaunched" "$WRITE_URL"); then
    echo "restart $i: first write answered after $first ms"
  else
    echo "restart $i: no write answered within ${READY_TIMEOUT}s"
    failures=$((failures + 1))
  fi
  coordinator_loads "$from"
  echo "    coordinator out of sync with its log: $(tail -n +"$from" "$BROKER_LOG" | grep -c 'out of sync' || true) times"
  if ((failures > 0)); then
    KEEP_DATA=1
    break
  fi
  echo "  writes at $LOAD_RATE/s for ${LOAD_SECONDS}s: $(load "$LOAD_SECONDS")"
done
echo "restarts: $ran of $RESTARTS run, $failures without an answered write"
((failures == 0))
