#!/usr/bin/env bash
# Checkout's latency while a backtest or a batch runs beside it (issue 17: p99 at half the max rate within 1.5x of its
# value with nothing else running). A skeleton to be run and tuned by whoever measures it; not run for
# docs/performance.md yet.
#
#   src/bench/p99-under-load.sh                  # PostgreSQL database termsgate_p99 on 127.0.0.1, -Xmx256m, 1 job thread
#   LOAD=batch LINES=100000 src/bench/p99-under-load.sh
#   LOAD=backtest src/bench/p99-under-load.sh    # backtests the live version over everything logged so far
#
# In one service process: (1) wrk at 32 connections, unpaced, for DURATION: the max rate; (2) wrk paced at half of it:
# p99 with nothing else running; (3) a batch of LINES lines (LOAD=batch) or a backtest over the log (LOAD=backtest)
# is started, and the same paced wrk runs again while it runs. Prints the three wrk lines and the ratio of the p99s.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18083}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-20s}
LOAD=${LOAD:-backtest}
LINES=${LINES:-100000}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx256m"}
PGHOST=${PGHOST:-127.0.0.1}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
JAR=${JAR:-$(ls target/termsgate-*.jar | grep -v -- '-plain' | head -1)}
case "$JAR" in /*) ;; *) JAR="$PWD/$JAR" ;; esac
WORK=${WORK:-$(mktemp -d)}
trap 'kill $PID 2>/dev/null || true' EXIT
psql -q -h "$PGHOST" -U postgres -c "DROP DATABASE IF EXISTS termsgate_p99" >/dev/null
psql -q -h "$PGHOST" -U postgres -c "CREATE DATABASE termsgate_p99" >/dev/null
(cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --server.port=$PORT --logging.level.root=WARN \
    --termsgate.ruleset.dir="$OLDPWD" --spring.profiles.active=postgres \
    "--spring.datasource.url=jdbc:postgresql://$PGHOST:5432/termsgate_p99" --spring.datasource.username=postgres \
    --spring.datasource.password= "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
PID=$!
for _ in $(seq 1 1200); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 0.1
done
API="http://127.0.0.1:$PORT/api/v1"
paced() { PACE_MS=$1 wrk -t2 -c32 -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua "$API/credit-decisions" | grep '^RESULT'; }

wrk -t2 -c32 -d"$WARMUP" -s src/bench/wrk/decide.lua "$API/credit-decisions" >/dev/null
max=$(wrk -t2 -c32 -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua "$API/credit-decisions" | grep '^RESULT')
best=$(echo "$max" | cut -d, -f2 | cut -d. -f1)
pace=$(( 32 * 1000 * 2 / best ))
alone=$(paced "$pace")

if [ "$LOAD" = batch ]; then
  python3 -c "
import sys
for i in range($LINES):
    sys.stdout.write('{\"customer\":{\"id\":\"P99-%04d\",\"country\":\"DE\",\"industry\":\"MANUFACTURING\",\"yearsInBusiness\":%d,\"annualRevenue\":%d,\"creditScore\":%d,\"paymentHistory\":{\"invoicesPaid\":24,\"avgDaysBeyondTerms\":4,\"maxDaysPastDue\":12},\"outstandingBalance\":50000,\"flags\":[]},\"order\":{\"amount\":25000,\"currency\":\"EUR\",\"requestedTermDays\":60}}\n' % (i % 1000, 1 + i % 20, 5000000 + i * 97, 30 + i % 70))
" > "$WORK/batch.jsonl"
  curl -fsS -X POST "$API/batches" -H 'X-API-Key: demo-batch' -H 'Content-Type: application/x-ndjson' \
      -T "$WORK/batch.jsonl" >/dev/null
  sleep 5 # the upload is stored; the chunks are being decided
else
  live=$(curl -fsS "$API/rulesets/active" -H 'X-API-Key: demo-analyst' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
  curl -fsS -X POST "$API/rulesets/$live/backtests" -H 'X-API-Key: demo-analyst' >/dev/null
fi
loaded=$(paced "$pace")

echo "run,rps,p50_ms,p99_ms,p99.9_ms,max_ms,non_2xx,socket_errors"
echo "max,${max#RESULT,}"
echo "half-rate alone (pace ${pace}ms),${alone#RESULT,}"
echo "half-rate with $LOAD running,${loaded#RESULT,}"
p99() { echo "$1" | cut -d, -f4; }
echo "p99 ratio (with $LOAD / alone): $(python3 -c "print(round($(p99 "$loaded") / $(p99 "$alone"), 2))")"
