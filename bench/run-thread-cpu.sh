#!/usr/bin/env bash
# Where a gateway route's CPU goes: drives a mock route and an http route (to a bare Vert.x
# backend) with wrk, or the write path with bench.jar, and prints, per route, the CPU each thread
# group of the launcher and of the broker used per request (µs), and its share of one core, from
# /proc's per-thread counters. A thread group is a thread name without its trailing number (all
# event loops are one group).
# Builds nothing: run `mvn -B package -DskipTests` first. Needs curl and wrk.
#
# Tunables (environment): ROUTES ("proxy mock"; "idle" measures the suite with no load: each
# group's share of a core after WARMUP seconds of rest; "writes" the write path POST /prod/customer
# at WRITE_RATE, 1000/s, open loop; "raw" the same put straight to the commands topic at WRITE_RATE,
# as run-all.sh's floor: what the HTTP side adds is the difference), WARMUP (30 s of load per route, not counted),
# DURATION (20 s counted), CONNECTIONS (64), TOP (15 groups per route), SPLIT (1: user and system
# time apart, as group.u and group.s), BACKEND_PORT (18081), LAUNCHER_JAR, BENCH_JAR,
# LAUNCHER_JAVA_OPTS (-Xmx512m), LAUNCHER_ENV (extra NAME=value pairs for the launcher, e.g.
# PORTICO_ACCESS_LOG_LEVEL=OFF to see what the access log costs).
set -euo pipefail

cd "$(dirname "$0")/.."

LAUNCHER_JAR=${LAUNCHER_JAR:-launcher/target/portico.jar}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
ROUTES=${ROUTES:-proxy mock}
WRITE_RATE=${WRITE_RATE:-1000}
WARMUP=${WARMUP:-30}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
TOP=${TOP:-15}
BACKEND_PORT=${BACKEND_PORT:-18081}
READY_TIMEOUT=${READY_TIMEOUT:-90}
STOP_TIMEOUT=${STOP_TIMEOUT:-30}
read -ra LAUNCHER_OPTS <<<"${LAUNCHER_JAVA_OPTS:--Xmx512m}"
read -ra EXTRA_ENV <<<"${LAUNCHER_ENV:-}"
for tool in curl wrk; do
  command -v $tool >/dev/null || { echo "$tool not found: apt-get install -y $tool" >&2; exit 1; }
done

WORK=$(mktemp -d -t portico-thread-cpu.XXXXXX)
DATA_DIR=$WORK/data
LOG=$WORK/launcher.log
READY_URL=http://127.0.0.1:8090/ready
ADMIN_PORT=8081 # admin() of suite-lib.sh
ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
# The gateway-wide limit is raised, as in run-all.sh, so the routes measure the gateway's cost.
LAUNCHER_ENV=(PORTICO_EDGE_ADMIN_TOKEN="$ADMIN_TOKEN" PORTICO_EDGE_THROTTLE_RATE=1000000
  PORTICO_EDGE_THROTTLE_BURST=1000000 ${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"})
mkdir -p "$DATA_DIR"

# now_ms, descendants, start_launcher, stop_launcher, admin, deploy_bench_routes, field, calc.
source bench/suite-lib.sh
declare -A RESULT=() # result lines by key, for field()

BACKEND_PID=""
cleanup() {
  local status=$?
  if [[ -n $BACKEND_PID ]]; then kill -TERM "$BACKEND_PID" 2>/dev/null || true; fi
  stop_launcher
  if ((status == 0)); then rm -rf "$WORK"; else echo "logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

java -jar "$BENCH_JAR" bare-server --port "$BACKEND_PORT" --status 200 >"$WORK/backend.log" 2>&1 &
BACKEND_PID=$!
start_launcher
deploy_bench_routes thread-cpu "$BACKEND_PORT"

# "pid:group ticks" for every thread of launcher and broker, summed per group.
snapshot() {
  local pid task group
  for pid in "$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"); do
    for task in /proc/"$pid"/task/*; do
      group=$(sed 's/[0-9-]*$//; s/ /_/g' "$task/comm" 2>/dev/null) || continue
      if [[ -n ${SPLIT:-} ]]; then
        awk -v k="$pid:$group" '{print k ".u", $14; print k ".s", $15}' "$task/stat" 2>/dev/null || true
      else
        awk -v k="$pid:$group" '{print k, $14 + $15}' "$task/stat" 2>/dev/null || true
      fi
    done
  done | awk '{sum[$1] += $2} END {for (k in sum) print k, sum[k]}' | sort
}

hz=$(getconf CLK_TCK)
echo "launcher pid $LAUNCHER_PID; broker pid(s) $(descendants "$LAUNCHER_PID" | tr '\n' ' ')"
for route in $ROUTES; do
  if [[ $route == idle ]]; then
    # No load: what the suite spends doing nothing, after WARMUP seconds of settling.
    sleep "$WARMUP"
    snapshot >"$WORK/before"
    sleep "$DURATION"
    snapshot >"$WORK/after"
    requests=0
    echo "== idle: no requests over ${DURATION} s"
  elif [[ $route == writes || $route == raw ]]; then
    # The write path, open loop: WARMUP seconds at WRITE_RATE, then DURATION seconds counted;
    # raw: the same put straight to the commands topic (no HTTP, no edge, no request event).
    if [[ $route == writes ]]; then load=(write-path --rates); else load=(kafka-round-trip --rate); fi
    java -jar "$BENCH_JAR" "${load[@]}" "$WRITE_RATE" --duration "$WARMUP" --warmup 0 >/dev/null 2>&1
    snapshot >"$WORK/before"
    out=$(java -jar "$BENCH_JAR" "${load[@]}" "$WRITE_RATE" --duration "$DURATION" --warmup 0 2>/dev/null)
    snapshot >"$WORK/after"
    RESULT[$route]=$(grep '^scenario=' <<<"$out")
    requests=$(calc 'printf "%d", a * b' "$(field "$route" achieved)" "$DURATION")
    echo "== $route: ${RESULT[$route]}"
  else
    url=http://127.0.0.1:8080/bench/$route
    wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
    snapshot >"$WORK/before"
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url")
    snapshot >"$WORK/after"
    requests=$(grep -oE '[0-9]+ requests in' <<<"$out" | awk '{print $1}')
    echo "== $route: $(grep 'Requests/sec' <<<"$out" | awk '{print $2}') req/s over ${DURATION} s"
  fi
  # Groups that appeared during the run count from zero.
  join -a 2 -e 0 -o 0,1.2,2.2 "$WORK/before" "$WORK/after" |
    awk -v r="$requests" -v hz="$hz" -v d="$DURATION" '{
      t = $3 - $2; if (t <= 0) next
      per = r > 0 ? sprintf("%7.1f us/request", t / hz * 1e6 / r) : ""
      printf "%-40s %s %6.2f%% of a core\n", $1, per, t / hz / d * 100
      split($1, p, ":"); total[p[1]] += t
    } END {
      for (pid in total) {
        per = r > 0 ? sprintf("%7.1f us/request", total[pid] / hz * 1e6 / r) : ""
        printf "%-40s %s %6.2f%% of a core (pid total)\n", pid, per, total[pid] / hz / d * 100
      }
    }' | sort -k2 -nr | head -n "$((TOP + 2))"
done
