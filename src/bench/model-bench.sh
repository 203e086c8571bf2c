#!/usr/bin/env bash
# HTTP load benchmark of a decision service call: POST /api/v1/models/dunning (see docs/performance.md).
#
#   src/bench/model-bench.sh                          # ceiling, then dunning on PostgreSQL, 32 connections, 20 s each
#   DURATION=10s CONNECTIONS="8 32" MODES="dunning" src/bench/model-bench.sh
#   BEFORE_JAR=/tmp/old/termsgate.jar BEFORE_AIDS=/tmp/old/test-classes MODES="dunning before" src/bench/model-bench.sh
#
# Modes, each a fresh service process (PostgreSQL on 127.0.0.1:5432, database termsgate_bench, recreated):
#   ceiling  POST /bench/ceiling: same HTTP stack, security and request parsing, fixed answer, no engine, no log
#   dunning  POST /api/v1/models/dunning (DECISION_CLIENT), every call logged durably in the model calls' chain
#   h2       the same on the embedded H2 file database
#   before   the same as dunning with another build (BEFORE_JAR, its test classes in BEFORE_AIDS): e.g. the build
#            before model calls had group commit, for a before/after ratio within one run
# Prints mode,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors and, per dunning run, the model call
# log's mean batch size and commit latency (from the service's metrics); at the end the chain is verified.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-"32"}
MODES=${MODES:-"ceiling dunning"}
PORT=${PORT:-18081}
PGHOST=${PGHOST:-127.0.0.1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
JAR=$(ls "$PWD"/target/termsgate-*.jar | grep -v -- '-plain' | head -1)
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT

# the measuring aids (the ceiling endpoint) are test classes: packed apart, on the launch's loader.path
aids() {
  local classes=$1 out=$2
  [ -f "$classes/io/termsgate/benchmark/BenchmarkProfile.class" ] \
    || { echo "the measuring aids are not compiled in $classes: run ./mvnw -B -q package -DskipTests"; exit 1; }
  rm -rf "$WORK/aids" && mkdir -p "$WORK/aids/io/termsgate"
  cp -r "$classes/io/termsgate/benchmark" "$WORK/aids/io/termsgate/"
  cp -r "$classes/benchmark" "$WORK/aids/"
  jar cf "$out" -C "$WORK/aids" .
}
aids target/test-classes "$WORK/aids.jar"

start() {
  local jar=$1 aidsjar=$2; shift 2
  local t0; t0=$(date +%s%N)
  (cd "$WORK" && exec java $JAVA_OPTS -Dloader.path="$aidsjar" -cp "$jar" \
      org.springframework.boot.loader.launch.PropertiesLauncher --server.port=$PORT --logging.level.root=WARN \
      --termsgate.ruleset.dir="$OLDPWD" "$@" "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
  PID=$!
  for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1; then
      echo "# $mode: launch to healthy $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
      return 0
    fi
    sleep 0.1
  done
  echo "service did not start"; cat "$WORK/service.log"; exit 1
}

fresh_postgres() {
  psql -q -h "$PGHOST" -U postgres -c "DROP DATABASE IF EXISTS termsgate_bench" >/dev/null
  psql -q -h "$PGHOST" -U postgres -c "CREATE DATABASE termsgate_bench" >/dev/null
}

run() {
  local mode=$1 path=$2 script=$3
  wrk -t2 -c32 -d"$WARMUP" -s "$script" "http://127.0.0.1:$PORT$path" >/dev/null
  for c in $CONNECTIONS; do
    local threads=2; [ "$c" -lt 2 ] && threads=1
    wrk -t$threads -c"$c" -d"$DURATION" --timeout 10s -s "$script" "http://127.0.0.1:$PORT$path" > "$WORK/wrk.out"
    local line; line=$(grep '^RESULT' "$WORK/wrk.out")
    echo "$mode,$c,${line#RESULT,}"
    [ "$mode" = ceiling ] || batches "$mode" "$c"
  done
  if [ "$mode" != ceiling ]; then
    echo "# $mode: chain $(curl -s "http://127.0.0.1:$PORT/api/v1/audit/models/verify" -H 'X-API-Key: demo-auditor')" >&2
  fi
}

# the model call log's group commit as the service saw it so far (warm-up included), from its Prometheus metrics
batches() {
  curl -s "http://127.0.0.1:$PORT/actuator/prometheus" -H 'X-API-Key: demo-operator' | awk -v mode="$1" -v c="$2" '
    /^termsgate_models_log_batch_size_count/ {bn=$2} /^termsgate_models_log_batch_size_sum/ {bs=$2}
    /^termsgate_models_log_commit_latency_seconds_count/ {ln=$2} /^termsgate_models_log_commit_latency_seconds_sum/ {ls=$2}
    END { if (bn > 0) printf "# %s after %s connections: %d commits, mean batch %.1f calls, mean commit %.2f ms\n", mode, c, bn, bs/bn, 1000*ls/ln > "/dev/stderr" }'
}

PG=(--spring.profiles.active=postgres,benchmark --spring.datasource.url=jdbc:postgresql://$PGHOST:5432/termsgate_bench
    --spring.datasource.username=postgres --spring.datasource.password=)
echo "mode,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors"
for mode in $MODES; do
  case $mode in
    ceiling) fresh_postgres; start "$JAR" "$WORK/aids.jar" "${PG[@]}"; run ceiling /bench/ceiling src/bench/wrk/decide.lua ;;
    dunning) fresh_postgres; start "$JAR" "$WORK/aids.jar" "${PG[@]}"; run dunning /api/v1/models/dunning src/bench/wrk/dunning.lua ;;
    before)  aids "${BEFORE_AIDS:?BEFORE_AIDS: the test classes of the BEFORE_JAR build}" "$WORK/before-aids.jar"
             fresh_postgres; start "${BEFORE_JAR:?}" "$WORK/before-aids.jar" "${PG[@]}"
             run before /api/v1/models/dunning src/bench/wrk/dunning.lua ;;
    h2)      start "$JAR" "$WORK/aids.jar" --spring.profiles.active=benchmark \
               --spring.datasource.url="jdbc:h2:file:$WORK/h2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
             run h2 /api/v1/models/dunning src/bench/wrk/dunning.lua ;;
  esac
  kill $PID; wait $PID 2>/dev/null || true; PID=
done
