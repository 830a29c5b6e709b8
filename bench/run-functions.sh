#!/usr/bin/env bash
# The function SDKs side by side: the same hello function in Java (function-sdk, function-example's
# jar), Node.js (function-sdk-node) and Python (function-sdk-python), one after the other, each on a
# topic of its own, driven by `bench.jar kafka-round-trip`: request events straight to Kafka, the
# replies read read_committed as the edge reads them (no HTTP, no edge), first one at a time (the
# service time), then open loop at RATE req/s. Every SDK commits a transaction per batch, so the
# figures are the cost of each SDK's exactly-once loop.
#
# Needs a broker: the suite running (java -jar launcher/target/portico.jar) or any Kafka at
# BOOTSTRAP whose reply topic <TOPIC_PREFIX>edge.replies exists; the jars built (mvn -B package
# -DskipTests); node with function-sdk-node's node_modules (npm ci --prefix function-sdk-node);
# a Python with confluent-kafka (Debian: apt-get install python3-confluent-kafka).
#
# Settings: BOOTSTRAP (127.0.0.1:9092), TOPIC_PREFIX (portico.), RATE (1000), DURATION (20),
# WARMUP (5), SEQUENTIAL (500 requests one at a time, after as many unreported), LANGUAGES
# (java node python), PYTHON (/usr/bin/python3), BENCH_JAR, FUNCTION_JAR, BENCH_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP=${BOOTSTRAP:-127.0.0.1:9092}
TOPIC_PREFIX=${TOPIC_PREFIX:-portico.}
RATE=${RATE:-1000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
SEQUENTIAL=${SEQUENTIAL:-500}
LANGUAGES=${LANGUAGES:-java node python}
PYTHON=${PYTHON:-/usr/bin/python3}
BENCH_JAR=${BENCH_JAR:-bench/target/bench.jar}
FUNCTION_JAR=${FUNCTION_JAR:-function-example/target/function-example.jar}
read -r -a BENCH_OPTS <<<"${BENCH_JAVA_OPTS:-}"

for jar in "$BENCH_JAR" "$FUNCTION_JAR"; do
  [[ -f $jar ]] || { echo "missing $jar: run mvn -B package -DskipTests first" >&2; exit 1; }
done
[[ -d function-sdk-node/node_modules/kafkajs ]] || npm ci --silent --prefix function-sdk-node
"$PYTHON" -c 'import confluent_kafka' || {
  echo "$PYTHON lacks confluent_kafka: apt-get install python3-confluent-kafka" >&2
  exit 1
}

WORK=$(mktemp -d)
FUNCTION_PID=""
stop_function() {
  if [[ -n $FUNCTION_PID ]] && kill -0 "$FUNCTION_PID" 2>/dev/null; then
    kill "$FUNCTION_PID" 2>/dev/null || true # SIGTERM: the SDKs commit and leave the group
    wait "$FUNCTION_PID" 2>/dev/null || true
  fi
  FUNCTION_PID=""
}
trap 'stop_function; echo "logs in $WORK"' EXIT

bench() {
  java ${BENCH_OPTS[@]+"${BENCH_OPTS[@]}"} -jar "$BENCH_JAR" kafka-round-trip \
    --bootstrap "$BOOTSTRAP" --topic-prefix "$TOPIC_PREFIX" "$@"
}

declare -a RESULTS=()
for language in $LANGUAGES; do
  topic="${TOPIC_PREFIX}bench.sdk-$language"
  env=(PORTICO_KAFKA_BOOTSTRAP="$BOOTSTRAP" PORTICO_FUNCTION_TOPIC="$topic"
    PORTICO_FUNCTION_INSTANCE=bench PORTICO_TOPIC_PARTITIONS=4)
  case $language in
    java) command=(java -jar "$FUNCTION_JAR") ;;
    node) command=(node function-sdk-node/examples/hello.js) ;;
    python) command=("$PYTHON" function-sdk-python/examples/hello.py) ;;
    *) echo "unknown language $language" >&2; exit 1 ;;
  esac
  echo "== $language: ${command[*]} on $topic"
  env "${env[@]}" "${command[@]}" >"$WORK/$language.log" 2>&1 &
  FUNCTION_PID=$!
  # One at a time first: waits out topic creation and the group join (each request may take up
  # to 30 s), warms the function up, and measures its service time.
  line=$(bench --topic "$topic" --warmup-requests "$SEQUENTIAL" --requests "$SEQUENTIAL" | tail -n 1)
  RESULTS+=("$language sequential: $line")
  echo "$line"
  line=$(bench --topic "$topic" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" | tail -n 1)
  RESULTS+=("$language ${RATE}/s: $line")
  echo "$line"
  stop_function
done

echo
echo "== function SDKs, kafka-round-trip (no edge), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%s\n' "${RESULTS[@]}"
