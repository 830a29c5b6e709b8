#!/usr/bin/env bash
# Starts the Portico suite, measures time-to-ready and memory, then runs the write-path benchmark
# and the bare Vert.x ceiling. Builds nothing: run `mvn -B package -DskipTests` first.
#
# Tunables (environment): RATES (1000,5000), ITEM_RATES (1000,5000), WARM_RATES (300,600,1000), WARM_SECONDS (15), DURATION (20), WARMUP (5), CONNECTIONS (64),
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
CONNECTIONS=${CONNECTIONS:-64}
CEILING_PORT=${CEILING_PORT:-18080}
READY_URL=${READY_URL:-http://127.0.0.1:8090/ready}
WRITE_URL=${WRITE_URL:-http://127.0.0.1:8080/prod/customer}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra BENCH_EXTRA <<<"${BENCH_ARGS:-}"
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:-}"
read -ra BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for jar in "$LAUNCHER_JAR" "$BENCH_JAR"; do
  if [[ ! -f $jar ]]; then
    echo "missing $jar: build first with 'mvn -B package -DskipTests'" >&2
    exit 1
  fi
done

DATA_DIR=$(mktemp -d -t portico-bench-data.XXXXXX)
LOG=${LOG:-$(mktemp -t portico-bench-launcher.XXXXXX.log)}
LAUNCHER_PID=""

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Prints every descendant pid of $1 (the launcher may fork a separate JVM for the Kafka broker).
descendants() {
  local -A parent_of=()
  local f pid ppid key value
  for f in /proc/[0-9]*/status; do
    pid="" ppid=""
    # A process can exit between the glob and the read: skip it quietly.
    while read -r key value _; do
      case $key in
        Pid:) pid=$value ;;
        PPid:) ppid=$value; break ;;
      esac
    done 2>/dev/null <"$f" || continue
    if [[ -n $pid && -n $ppid ]]; then parent_of[$pid]=$ppid; fi
  done
  local queue=("$1") current
  while ((${#queue[@]} > 0)); do
    current=${queue[0]}
    queue=("${queue[@]:1}")
    for pid in "${!parent_of[@]}"; do
      if [[ ${parent_of[$pid]} == "$current" ]]; then
        echo "$pid"
        queue+=("$pid")
      fi
    done
  done
  return 0
}

rss_kb() { awk '/^VmRSS:/ {print $2; found=1} END {if (!found) print 0}' "/proc/$1/status" 2>/dev/null || echo 0; }

print_rss() {
  local label=$1 own total children=0 child
  own=$(rss_kb "$LAUNCHER_PID")
  total=$own
  for child in $(descendants "$LAUNCHER_PID"); do
    total=$((total + $(rss_kb "$child")))
    children=$((children + 1))
  done
  printf 'rss %s: launcher=%d MiB launcher+%d children=%d MiB\n' \
    "$label" $((own / 1024)) "$children" $((total / 1024))
}

# Stops the launcher with SIGTERM, escalating to SIGKILL after STOP_TIMEOUT seconds.
stop_launcher() {
  [[ -n $LAUNCHER_PID ]] || return 0
  local pid=$LAUNCHER_PID children deadline status=0
  LAUNCHER_PID=""
  children=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(($(date +%s) + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && (($(date +%s) < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "launcher did not stop within ${STOP_TIMEOUT}s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || status=$?
  # A child JVM the launcher failed to stop would keep ports and memory: end it by its pid.
  for child in $children; do
    if kill -0 "$child" 2>/dev/null; then
      echo "child $child outlived the launcher: SIGTERM" >&2
      kill -TERM "$child" 2>/dev/null || true
    fi
  done
  echo "launcher stopped (exit status $status)"
}

cleanup() {
  stop_launcher
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap stops the launcher.
trap 'exit 130' INT
trap 'exit 143' TERM

echo "starting $LAUNCHER_JAR (data in $DATA_DIR, log in $LOG)"
started=$(now_ms)
PORTICO_DATA_DIR=$DATA_DIR java ${LAUNCHER_OPTS[@]+"${LAUNCHER_OPTS[@]}"} -jar "$LAUNCHER_JAR" \
  >"$LOG" 2>&1 &
LAUNCHER_PID=$!

until curl -sf "$READY_URL" >/dev/null 2>&1; do
  if ! kill -0 "$LAUNCHER_PID" 2>/dev/null; then
    echo "launcher exited before becoming ready; last log lines:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if (($(now_ms) - started > READY_TIMEOUT * 1000)); then
    echo "not ready after ${READY_TIMEOUT}s; last log lines:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  sleep 0.2
done
ready_ms=$(($(now_ms) - started))
printf 'ready in %d.%03d s\n' $((ready_ms / 1000)) $((ready_ms % 1000))
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
