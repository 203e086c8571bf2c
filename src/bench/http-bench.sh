#!/usr/bin/env bash
# HTTP load benchmark of the decision endpoint (see docs/performance.md).
#
#   src/bench/http-bench.sh                     # all modes at 1, 8, 32, 128 connections, 20 s each
#   DURATION=10s CONNECTIONS="32" MODES="decide nolog" src/bench/http-bench.sh
#
# Modes, each a fresh service process on PostgreSQL (127.0.0.1:5432, database termsgate_bench, recreated):
#   decide   POST /api/v1/credit-decisions, durable decision log on PostgreSQL (production path)
#   nolog    the same with the decision log switched off (benchmark profile only; the aids are test classes)
#   ceiling  POST /bench/ceiling: same HTTP stack, security and request parsing, fixed answer, no engine, no log
#   h2       deciding with the durable log on the embedded H2 file database
#   assess   the credit-line path without order ids: 1,000 buyers, no balance in the request (wrk/orders.lua)
#   orders   the same requests with an order id each: every approval locks its line and places a hold
# Needs wrk (apt-get install wrk). Prints a CSV table: mode,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors,rss_mib
# and, per mode, the time from launch to healthy and the group commit's mean batch size and commit latency (from the
# service's metrics). After "decide": a paced run at half its best rate (the latency checkout sees when the service
# is not saturated), then a backtest over everything it logged.
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
DURATION=${DURATION:-20s}
# 60 s: decide (Drools, DMN, JDBC, Jackson, the log) is still being compiled by the JIT long after the ceiling is
# (docs/performance.md, "Work specific to decide and to model calls"); 10 s measured decide half warm
WARMUP=${WARMUP:-60s}
CONNECTIONS=${CONNECTIONS:-"1 8 32 128"}
MODES=${MODES:-"ceiling decide nolog"}
PORT=${PORT:-18080}
PGHOST=${PGHOST:-127.0.0.1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
# SERVICE_ARGS: more arguments for the service, e.g. SERVICE_ARGS="--termsgate.audit.max-wait=2ms"
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

bench_need_wrk
bench_jar
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
AIDS="$WORK/measuring-aids.jar"
bench_measuring_aids target/test-classes "$AIDS"

start() {
  local extra=("$@")
  local t0; t0=$(date +%s%N)
  (cd "$WORK" && exec java $JAVA_OPTS -Dloader.path="$AIDS" -cp "$JAR" \
      org.springframework.boot.loader.launch.PropertiesLauncher --server.port=$PORT --logging.level.root=WARN \
      --termsgate.ruleset.dir="$OLDPWD" "${extra[@]}" "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
  PID=$!
  bench_await_healthy $PORT 60 "$WORK/service.log"
  echo "# $mode: launch to healthy $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
}

fresh_postgres() {
  bench_fresh_database termsgate_bench
}

run() {
  local mode=$1 path=$2 best=0 script=${3:-src/bench/wrk/decide.lua}
  wrk -t2 -c32 -d"$WARMUP" -s "$script" "http://127.0.0.1:$PORT$path" >/dev/null
  for c in $CONNECTIONS; do
    local threads=2; [ "$c" -lt 2 ] && threads=1
    local line rss=0 r pid
    pid=$(pgrep -f "server.port=$PORT" | head -1)
    wrk -t$threads -c"$c" -d"$DURATION" --timeout 10s -s "$script" "http://127.0.0.1:$PORT$path" > "$WORK/wrk.out" &
    local wrk_pid=$!
    while kill -0 $wrk_pid 2>/dev/null; do
      r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$rss" ] && rss=$r
      sleep 1
    done
    line=$(grep '^RESULT' "$WORK/wrk.out")
    echo "$mode,$c,${line#RESULT,},$((rss / 1024))"
    [ "$mode" = ceiling ] || audit_batches "$mode" "$c"
    best=$(echo "$line" | cut -d, -f2 | awk -v b="${best:-0}" '{print ($1 > b) ? $1 : b}')
  done
  if [ "$mode" = decide ]; then
    # latency at half the best rate measured above: 32 connections, each pacing its requests
    local pace=$(( 32 * 1000 * 2 / best ))
    PACE_MS=$pace wrk -t2 -c32 -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua "http://127.0.0.1:$PORT$path" > "$WORK/wrk.out"
    line=$(grep '^RESULT' "$WORK/wrk.out")
    echo "$mode-half-rate(pace ${pace}ms),32,${line#RESULT,},"
  fi
}

# The group commit as the service saw it so far (cumulative since launch, warm-up included): mean batch size and
# mean commit latency, from its own Prometheus metrics.
audit_batches() {
  bench_group_commits $PORT | awk -F, -v mode="$1" -v c="$2" '$1 > 0 {
    printf "# %s after %s connections: %d commits, mean batch %.1f decisions, mean commit %.2f ms\n", mode, c, $1, $2, $3 > "/dev/stderr" }'
}

PG=(--spring.profiles.active=postgres,benchmark --spring.datasource.url=jdbc:postgresql://$PGHOST:5432/termsgate_bench
    --spring.datasource.username=postgres --spring.datasource.password=)
backtest() {
  local live id status
  live=$(curl -s "http://127.0.0.1:$PORT/api/v1/rulesets/active" -H 'X-API-Key: demo-analyst' | sed 's/.*"version":"\([^"]*\)".*/\1/')
  id=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/rulesets/$live/backtests" -H 'X-API-Key: demo-analyst' | sed 's/.*"id":"\([^"]*\)".*/\1/')
  while true; do
    status=$(curl -s "http://127.0.0.1:$PORT/api/v1/rulesets/$live/backtests/$id" -H 'X-API-Key: demo-analyst')
    case "$status" in *'"status":"DONE"'*) break ;; *'"status":"RUNNING"'*) sleep 1 ;; *) echo "$status" >&2; return ;; esac
  done
  echo "# backtest: $(echo "$status" | grep -o '"total":[0-9]*' | head -1) decisions, $(echo "$status" | grep -o '"decisionsPerSecond":[0-9.]*') (durationMillis $(echo "$status" | grep -o '"durationMillis":[0-9]*' | cut -d: -f2))" >&2
}

echo "mode,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors,rss_mib"
for mode in $MODES; do
  case $mode in
    ceiling) fresh_postgres; start "${PG[@]}"; run ceiling /bench/ceiling ;;
    decide)  fresh_postgres; start "${PG[@]}"; run decide /api/v1/credit-decisions; backtest ;;
    nolog)   fresh_postgres; start "${PG[@]}" --termsgate.benchmark.audit=discard; run nolog /api/v1/credit-decisions ;;
    assess)  fresh_postgres; start "${PG[@]}"; export ORDERS=0; run assess /api/v1/credit-decisions src/bench/wrk/orders.lua ;;
    orders)  fresh_postgres; start "${PG[@]}"; export ORDERS=1; run orders /api/v1/credit-decisions src/bench/wrk/orders.lua ;;
    h2)      start --spring.profiles.active=benchmark --spring.datasource.url="jdbc:h2:file:$WORK/h2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
             run h2 /api/v1/credit-decisions ;;
  esac
  kill $PID; wait $PID 2>/dev/null || true
done
