#!/usr/bin/env bash
# Checkout's latency while background work runs (issue 17, docs/performance.md "Checkout under background work").
#
#   src/bench/checkout-under-load.sh                 # 100,000 decisions in the log, backtest and batch of 100,000
#   DECISIONS=20000 DURATION=20s src/bench/checkout-under-load.sh
#
# One service process on PostgreSQL (127.0.0.1:5432, database termsgate_bench, recreated), with its durable decision
# log, on this machine's cores shared with wrk. In one run:
#   1. the log is filled with DECISIONS decisions by wrk at full speed; its best rate is checkout's max rate;
#   2. "alone": 32 connections paced to half that rate (wrk/decide.lua, PACE_MS), nothing else running;
#   3. "backtest": the same paced load while a backtest replays every logged decision under the live version;
#   4. "alone again": the paced load with nothing running, to see the drift of the machine within the run;
#   5. "batch": the same paced load while a batch of BATCH_LINES generated lines is decided.
# Prints a CSV line per phase (rps, p50, p99, p99.9, max in ms) and p99 of each loaded phase as a ratio of "alone".
# The paced load is closed-loop (a connection waits for its answer, then PACE_MS): when the service slows, the
# offered rate falls a little; the achieved rate is printed beside each latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
DECISIONS=${DECISIONS:-100000}
BATCH_LINES=${BATCH_LINES:-100000}
DURATION=${DURATION:-30s}
PORT=${PORT:-18082}
PGHOST=${PGHOST:-127.0.0.1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

bench_need_wrk
bench_jar
WORK=$(mktemp -d)
trap 'kill $PID 2>/dev/null && wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
URL="http://127.0.0.1:$PORT"

bench_fresh_database termsgate_bench
(cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --server.port=$PORT --logging.level.root=WARN \
    --termsgate.ruleset.dir="$OLDPWD" --spring.profiles.active=postgres \
    --spring.datasource.url="jdbc:postgresql://$PGHOST:5432/termsgate_bench" --spring.datasource.username=postgres \
    --spring.datasource.password= "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
PID=$!
bench_await_healthy $PORT 60 "$WORK/service.log"

rested() { # seconds background threads rested so far (termsgate.jobs.rested, BackgroundPace)
  curl -fs "$URL/actuator/prometheus" -H 'X-API-Key: demo-operator' \
      | awk '/^termsgate_jobs_rested_seconds_sum/ { print $2 } END { }' | head -1
}

paced() { # phase name: 32 connections at PACE_MS for DURATION; prints the CSV line, remembers p99
  PACE_MS=$PACE wrk -t2 -c32 -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua "$URL/api/v1/credit-decisions" \
      > "$WORK/wrk.out"
  local line; line=$(grep '^RESULT' "$WORK/wrk.out")
  echo "$1,${line#RESULT,}"
  P99[$1]=$(echo "$line" | cut -d, -f4)
  local now; now=$(rested); echo "# $1: background threads rested $(awk -v a="${REST:-0}" -v b="${now:-0}" 'BEGIN { printf "%.1f", b - a }') s of the phase" >&2
  REST=$now
}
declare -A P99

# 1. fill the log at full speed; the best rate over the fill is checkout's max rate here
echo "phase,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors"
logged=0 best=0
while [ "$logged" -lt "$DECISIONS" ]; do
  wrk -t2 -c32 -d10s --timeout 10s -s src/bench/wrk/decide.lua "$URL/api/v1/credit-decisions" > "$WORK/wrk.out"
  line=$(grep '^RESULT' "$WORK/wrk.out"); echo "fill,${line#RESULT,}"
  rps=$(echo "$line" | cut -d, -f2)
  best=$(( rps > best ? rps : best ))
  logged=$(( logged + rps * 10 ))
done
PACE=$(( 32 * 1000 * 2 / best ))
echo "# max rate $best/s; paced runs: 32 connections, PACE_MS=$PACE (about $(( best / 2 ))/s)" >&2

# 2. alone
paced alone

# 3. a backtest of everything logged, under the live version
live=$(curl -fs "$URL/api/v1/rulesets/active" -H 'X-API-Key: demo-analyst' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
backtest=$(curl -fs -X POST "$URL/api/v1/rulesets/$live/backtests" -H 'X-API-Key: demo-analyst' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
paced backtest
status=$(curl -fs "$URL/api/v1/rulesets/$live/backtests/$backtest" -H 'X-API-Key: demo-analyst')
echo "# backtest during the paced run: $(echo "$status" | grep -o '"status":"[A-Z]*"' | head -1) $(echo "$status" | grep -o '"total":[0-9]*' | head -1) $(echo "$status" | grep -o '"decisionsPerSecond":[0-9.]*' | head -1)" >&2
while ! curl -fs "$URL/api/v1/rulesets/$live/backtests/$backtest" -H 'X-API-Key: demo-analyst' | grep -q '"status":"DONE"'; do sleep 1; done

# 4. alone again, once the backtest is done: the machine's drift within the run
paced alone-again

# 5. a batch of generated lines (the generator of batch-bench.sh)
python3 - "$BATCH_LINES" > "$WORK/batch.jsonl" <<'PY'
import sys
industries = ["MANUFACTURING", "WHOLESALE", "CONSTRUCTION", "RETAIL", "SERVICES"]
for i in range(int(sys.argv[1])):
    sys.stdout.write('{"customer":{"id":"BENCH-%04d","country":"DE","industry":"%s","yearsInBusiness":%d,'
              '"annualRevenue":%d,"creditScore":%d,"paymentHistory":{"invoicesPaid":%d,"avgDaysBeyondTerms":%d,'
              '"maxDaysPastDue":%d},"outstandingBalance":%d,"flags":[]},"order":{"amount":%d,"currency":"EUR",'
              '"requestedTermDays":%d}}\n' % (
                  i % 1000, industries[i % 5], 1 + i % 20, 500000 + (i * 7919) % 50000000, 20 + i % 80,
                  i % 60, i % 30, i % 90, (i * 104729) % 300000, 1000 + (i * 31) % 200000, (30, 60, 90)[i % 3]))
PY
batch=$(curl -fsS -X POST "$URL/api/v1/batches" -H 'X-API-Key: demo-batch' -H 'Content-Type: application/x-ndjson' \
    -T "$WORK/batch.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
before=$(curl -fs "$URL/api/v1/batches/$batch" -H 'X-API-Key: demo-batch')
paced batch
echo "# batch before the paced run: $before" >&2
echo "# batch after the paced run: $(curl -fs "$URL/api/v1/batches/$batch" -H 'X-API-Key: demo-batch')" >&2


for phase in backtest alone-again batch; do
  awk -v p="$phase" -v a="${P99[alone]}" -v l="${P99[$phase]}" \
      'BEGIN { printf "# p99 %s / alone: %.2f (%s ms / %s ms; target <= 1.5)\n", p, l / a, l, a }' >&2
done
