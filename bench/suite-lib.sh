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
