#!/usr/bin/env bash
# Measures how long customer-service takes to restore COUNT items from its changelog: fill the
# table, stop the suite, delete customer-service's local state, start again, time to /ready.
# Builds nothing: run `mvn -B package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-1000000}
LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
DATA_DIR=$(mktemp -d -t portico-recovery.XXXXXX)
LOG=$(mktemp -t portico-recovery.XXXXXX.log)
PID=""

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Sets PID and READY_MS (not a subshell: PID must reach stop_suite).
start_suite() {
  local started
  started=$(now_ms)
  PORTICO_DATA_DIR=$DATA_DIR java -jar "$LAUNCHER_JAR" >>"$LOG" 2>&1 &
  PID=$!
  until curl -sf http://127.0.0.1:8091/ready >/dev/null; do
    kill -0 "$PID" 2>/dev/null || { echo "launcher exited; see $LOG" >&2; exit 1; }
    sleep 0.2
  done
  READY_MS=$(($(now_ms) - started))
}

stop_suite() {
  [[ -n $PID ]] || return 0
  kill -TERM "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}

trap 'stop_suite; rm -rf "$DATA_DIR"' EXIT

start_suite
echo "first start: ready in $READY_MS ms"
java -jar "$BENCH_JAR" kafka-fill --count "$COUNT" 2>&1 | grep -v SLF4J
stop_suite
# The suite must be gone before the next start, or /ready answers from the old one.
while curl -sf http://127.0.0.1:8091/ready >/dev/null; do sleep 0.2; done
echo "state on disk: $(du -sh "$DATA_DIR/customer-service" | cut -f1), broker data: $(du -sh "$DATA_DIR/kafka" | cut -f1)"

start_suite
echo "restart with local state kept: ready in $READY_MS ms"
stop_suite
while curl -sf http://127.0.0.1:8091/ready >/dev/null; do sleep 0.2; done

rm -rf "$DATA_DIR/customer-service"
start_suite
echo "restart with local state deleted (restore $COUNT items from the changelog): ready in $READY_MS ms"
