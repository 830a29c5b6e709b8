# Shared by the bench scripts (source it, do not run it): start the Portico suite, wait until it is
# ready, measure its memory, stop it and whatever child JVM it left behind.
#
# The caller sets: LAUNCHER_JAR, DATA_DIR, LOG, READY_URL, READY_TIMEOUT (s), STOP_TIMEOUT (s),
# LAUNCHER_OPTS (array of JVM options, may be empty) and optionally LAUNCHER_ENV (array of
# NAME=value for the launcher's environment). start_launcher sets LAUNCHER_PID and READY_MS.

LAUNCHER_PID=""
READY_MS=0

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

# Starts the launcher on DATA_DIR and waits for READY_URL; exits the script if it does not get there.
start_launcher() {
  # Another suite answering on the same port would be measured instead of ours.
  if curl -sf -o /dev/null --max-time 2 "$READY_URL" 2>/dev/null; then
    echo "something already answers $READY_URL: stop it first (or move this run's ports)" >&2
    exit 1
  fi
  echo "starting $LAUNCHER_JAR (data in $DATA_DIR, log in $LOG)"
  local started
  started=$(now_ms)
  env ${LAUNCHER_ENV[@]+"${LAUNCHER_ENV[@]}"} PORTICO_DATA_DIR="$DATA_DIR" \
    java ${LAUNCHER_OPTS[@]+"${LAUNCHER_OPTS[@]}"} -jar "$LAUNCHER_JAR" >"$LOG" 2>&1 &
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
  READY_MS=$(($(now_ms) - started))
  printf 'ready in %d.%03d s\n' $((READY_MS / 1000)) $((READY_MS % 1000))
}

# Milliseconds from $1 (a now_ms) until a POST of a new customer to $2 is answered with a 2xx;
# fails after READY_TIMEOUT seconds (from $1) with none.
first_write_ms() {
  local started=$1 url=$2 id
  id="first-$(date +%s%N)"
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X POST "$url" \
    -H 'content-type: application/json' -d "{\"customer_id\":\"$id\",\"price\":1}" || true) == 2?? ]]; do
    if (($(now_ms) - started > READY_TIMEOUT * 1000)); then
      echo "no write answered" >&2
      return 1
    fi
    sleep 0.05
  done
  echo $(($(now_ms) - started))
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

# The value of field $2 (achieved, p50, p99, p99.9, non2xx, errors, ...) of the result line stored
# as RESULT[$1] (the caller's associative array), without its unit.
field() {
  local value
  value=$(grep -oE "(^| )$2=[^ ]+" <<<"${RESULT[$1]}" | head -n 1)
  value=${value#*=}
  value=${value%/s}
  echo "${value%ms}"
}

# awk does the floating point; $1 is a program over the variables a and b.
calc() { awk -v a="$2" -v b="${3:-0}" "BEGIN { $1 }"; }

# 1 when $1 <= $2 (decimals), else 0.
ok() { calc 'print ((a <= b) ? 1 : 0)' "$1" "$2"; }

# CPU ticks of the C2 JIT compiler threads of the launcher and its children.
suite_c2_ticks() {
  local total=0 pid task
  for pid in "$LAUNCHER_PID" $(descendants "$LAUNCHER_PID"); do
    for task in /proc/"$pid"/task/*; do
      if [[ $(cat "$task/comm" 2>/dev/null) == C2* ]]; then
        total=$((total + $(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0)))
      fi
    done
  done
  echo "$total"
}

# The JIT compiles the suite's hot paths for minutes on 2 cores; until it is done, the compiler
# threads take a core's share from the request path and whatever is measured first pays for it.
# Runs "$@" (one round of load, WARMUP_ROUND_S long) again and again until the C2 compiler threads of
# launcher and broker used less than WARMUP_JIT_PCT of one core over a round, WARMUP_MAX_S at most.
# Sets WARMUP_S (how long it took). The caller sets WARMUP_ROUND_S, WARMUP_JIT_PCT, WARMUP_MAX_S.
warm_until_jit_done() {
  local started c0 jit_pct
  echo "warm-up: rounds of ${WARMUP_ROUND_S} s until the JIT is done (not reported)"
  started=$(now_ms)
  while :; do
    c0=$(suite_c2_ticks)
    "$@"
    jit_pct=$(calc 'printf "%.1f", a / b' "$(($(suite_c2_ticks) - c0))" "$WARMUP_ROUND_S")
    echo "  round: C2 compiler threads $jit_pct% of one core"
    if (($(ok "$jit_pct" "$WARMUP_JIT_PCT"))) || (($(now_ms) - started > WARMUP_MAX_S * 1000)); then
      break
    fi
  done
  WARMUP_S=$((($(now_ms) - started) / 1000))
}

# Writes to $1 a wrk script that prints wrk's result as bench.jar's fields (wrk's own summary lacks
# p99.9 and counts failures apart).
write_wrk_report() {
  cat >"$1" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "achieved=%.1f/s p50=%.2fms p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
LUA
}

# Imports API $1 with a mock route /mock and an http route /proxy (to the bare backend on
# 127.0.0.1:$2), deploys it on stage `bench` through the admin API (admin() below) and waits until
# both routes answer. Uses $WORK for the definition.
deploy_bench_routes() {
  local api=$1 backend_port=$2
  cat >"$WORK/routes.yaml" <<EOF
openapi: 3.0.3
info: {title: $api, version: "1"}
paths:
  /mock:
    get:
      x-portico-integration:
        type: mock
        statusCode: 200
        headers: {content-type: application/json}
        body: '{"customer_id":"1230AWS","customer_name":"KilDong","product_name":"laptop","price":990000}'
  /proxy:
    get:
      x-portico-integration: {type: http, uri: "http://127.0.0.1:$backend_port/", timeoutMs: 10000}
EOF
  admin PUT "/apis/$api" -H 'content-type: application/yaml' --data-binary "@$WORK/routes.yaml"
  admin POST "/apis/$api/deployments" -H 'content-type: application/json' -d '{"stage":"bench"}'
  until curl -sf -o /dev/null http://127.0.0.1:8080/bench/mock &&
    curl -sf -o /dev/null http://127.0.0.1:8080/bench/proxy; do
    sleep 0.2
  done
}

# Writes $1/nginx.conf: nginx as a plain keep-alive reverse proxy listening on 127.0.0.1:$2 to the
# backend on 127.0.0.1:$3, with $4 worker processes (default auto). Start it with
# nginx -p "$1" -c "$1/nginx.conf" -e "$1/error.log" -g 'daemon off;'.
write_nginx_conf() {
  local dir=$1 port=$2 backend_port=$3 workers=${4:-auto}
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
  worker_connections 4096;
}
http {
  access_log off;
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  # Neither the load generator's nor the backend's connections are recycled every 1,000 requests
  # (the default), as the edge's are not.
  keepalive_requests 1000000;
  upstream backend {
    server 127.0.0.1:$backend_port;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The suite on its default ports moved by $1 (PORT_OFFSET): sets EDGE_PORT, ADMIN_PORT,
# EDGE_OPS_PORT, BROKER_PORT, SUITE_PORTS (all nine), BOOTSTRAP, READY_URL, a random ADMIN_TOKEN and
# LAUNCHER_ENV (the launcher's variables for them, with the gateway-wide limit raised: its 10,000/s
# default would cap what is measured). Exits when one of the ports is taken.
suite_on_ports() {
  local offset=$1 port busy=()
  EDGE_PORT=$((8080 + offset))
  ADMIN_PORT=$((8081 + offset))
  EDGE_OPS_PORT=$((8090 + offset))
  BROKER_PORT=$((9092 + offset))
  SUITE_PORTS=("$EDGE_PORT" "$ADMIN_PORT" "$EDGE_OPS_PORT" $((8091 + offset)) $((8092 + offset))
    $((8093 + offset)) $((8094 + offset)) "$BROKER_PORT" $((9093 + offset)))
  BOOTSTRAP=127.0.0.1:$BROKER_PORT
  READY_URL=http://127.0.0.1:$EDGE_OPS_PORT/ready
  ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  LAUNCHER_ENV=(
    PORTICO_EMBEDDED_KAFKA=true
    PORTICO_EDGE_PORT="$EDGE_PORT" PORTICO_EDGE_ADMIN_PORT="$ADMIN_PORT"
    PORTICO_EDGE_OPS_PORT="$EDGE_OPS_PORT" PORTICO_CUSTOMER_OPS_PORT="${SUITE_PORTS[3]}"
    PORTICO_STREAM_PORT="${SUITE_PORTS[4]}" PORTICO_METRICS_PORT="${SUITE_PORTS[5]}"
    PORTICO_ALARM_PORT="${SUITE_PORTS[6]}" PORTICO_BROKER_PORT="$BROKER_PORT"
    PORTICO_BROKER_CONTROLLER_PORT="${SUITE_PORTS[8]}" PORTICO_EDGE_ADMIN_TOKEN="$ADMIN_TOKEN"
    PORTICO_EDGE_THROTTLE_RATE=10000000 PORTICO_EDGE_THROTTLE_BURST=10000000
  )
  for port in "${SUITE_PORTS[@]}"; do
    if port_in_use "$port"; then busy+=("$port"); fi
  done
  if ((${#busy[@]} > 0)); then
    echo "ports ${busy[*]} are in use (another Portico?): stop it, or move this run with PORT_OFFSET=2000" >&2
    exit 1
  fi
}

# One admin API call to ADMIN_PORT with ADMIN_TOKEN (its answer in $WORK/admin.out); fails the run
# on anything but 2xx (curl's 000: nothing answered).
admin() {
  local method=$1 path=$2 code
  shift 2
  code=$(curl -s -o "$WORK/admin.out" -w '%{http_code}' -X "$method" \
    -H "Authorization: Bearer $ADMIN_TOKEN" "$@" "http://127.0.0.1:$ADMIN_PORT$path" || true)
  if [[ $code != 2?? ]]; then
    echo "admin API $method http://127.0.0.1:$ADMIN_PORT$path answered '$code':" \
      "$(cat "$WORK/admin.out" 2>/dev/null)" >&2
    exit 1
  fi
}

# The helpers below run bench.jar through the caller's bench_java and keep its errors in
# $WORK/bench.err.

# Runs one bench command and keeps its last result line under key $1 of the caller's RESULT.
measure() {
  local key=$1 out line
  shift
  if ! out=$(bench_java "$@" 2>>"$WORK/bench.err"); then
    echo "bench.jar $* failed:" >&2
    tail -n 30 "$WORK/bench.err" >&2
    exit 1
  fi
  line=$(grep '^scenario=' <<<"$out" | tail -n 1 || true)
  if [[ -z $line ]]; then
    echo "bench.jar $* printed no result: $out" >&2
    exit 1
  fi
  echo "  $line"
  RESULT[$key]=$line
}

# An unreported warm-up of the route at $1: $3 s at each of the rates $2 (write-path, $4
# connections); fails the run when bench.jar does.
warm_route() {
  if ! bench_java write-path --scenario warm-up --url "$1" --rates "$2" --duration "$3" \
    --warmup 0 --connections "$4" >/dev/null 2>>"$WORK/bench.err"; then
    echo "warm-up failed:" >&2
    tail -n 30 "$WORK/bench.err" >&2
    exit 1
  fi
}
