#!/usr/bin/env bash
# A batch of generated decision requests through POST /api/v1/batches, on a service with a small heap (see
# docs/performance.md, "Batch decisions").
#
#   src/bench/batch-bench.sh                          # 1,000,000 lines, -Xmx256m, termsgate.jobs.threads=1, H2 file
#   LINES=100000 THREADS=2 src/bench/batch-bench.sh
#   LINES=200000 IN_FLIGHT=1 src/bench/batch-bench.sh      # one line at a time, as before lines in flight
#   PG=1 LINES=200000 src/bench/batch-bench.sh             # on the local PostgreSQL (127.0.0.1:5432, database test)
#   JAR=/tmp/termsgate.jar SKIP_BUILD=1 ...                # a jar built before
#
# Generates the file (JSON lines: 1,000 buyers, varied scores, revenues, balances and amounts; no order ids; every
# fifth line names an industry the policy does not know, SERVICES, and is answered with its problem), starts
# the jar with JAVA_OPTS on an embedded H2 file database in a temporary directory (or, PG=1, on a fresh schema of the
# local PostgreSQL's database `test`), uploads the file with curl (streamed), waits for the batch to be DONE, then
# streams its results and counts them. Prints the upload time, the decide time and rate, the decision log's mean
# commit size and latency (the service's own metrics), the heap used after the last full collection and the
# service's resident memory peak.
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
LINES=${LINES:-1000000}
THREADS=${THREADS:-1}
IN_FLIGHT=${IN_FLIGHT:-64}
PORT=${PORT:-18081}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx256m"}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

bench_jar
WORK=${WORK:-$(mktemp -d)}
trap 'kill $PID 2>/dev/null || true' EXIT
if [ -n "${PG:-}" ]; then
  bench_fresh_schema batch_bench
fi

python3 - "$LINES" > "$WORK/batch.jsonl" <<'PY'
import random, sys
random.seed(17)
industries = ["MANUFACTURING", "WHOLESALE", "CONSTRUCTION", "RETAIL", "SERVICES"]
out = sys.stdout
for i in range(int(sys.argv[1])):
    out.write('{"customer":{"id":"BENCH-%04d","country":"DE","industry":"%s","yearsInBusiness":%d,'
              '"annualRevenue":%d,"creditScore":%d,"paymentHistory":{"invoicesPaid":%d,"avgDaysBeyondTerms":%d,'
              '"maxDaysPastDue":%d},"outstandingBalance":%d,"flags":[]},"order":{"amount":%d,"currency":"EUR",'
              '"requestedTermDays":%d}}\n' % (
                  i % 1000, industries[i % 5], 1 + i % 20, 500000 + (i * 7919) % 50000000, 20 + i % 80,
                  i % 60, i % 30, i % 90, (i * 104729) % 300000, 1000 + (i * 31) % 200000, (30, 60, 90)[i % 3]))
PY
echo "# file: $LINES lines, $(du -m "$WORK/batch.jsonl" | cut -f1) MB" >&2

(cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --server.port=$PORT --logging.level.root=WARN \
    --termsgate.ruleset.dir="$OLDPWD" --termsgate.jobs.threads="$THREADS" --termsgate.batch.lines-in-flight="$IN_FLIGHT" \
    "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
PID=$!
bench_await_healthy $PORT 120 "$WORK/service.log"
rss=0
peak() { local r; r=$(awk '/VmRSS/ {print $2}' /proc/"$(pgrep -f "server.port=$PORT" | head -1)"/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$rss" ] && rss=$r; true; }

t0=$(date +%s%N)
answer=$(curl -fsS -X POST "http://127.0.0.1:$PORT/api/v1/batches" -H 'X-API-Key: demo-batch' \
    -H 'Content-Type: application/x-ndjson' -T "$WORK/batch.jsonl")
t1=$(date +%s%N)
id=$(echo "$answer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "# upload: $(( (t1 - t0) / 1000000 )) ms, batch $id" >&2
while true; do
  peak
  status=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/batches/$id" -H 'X-API-Key: demo-batch')
  case "$status" in *'"status":"DONE"'*) bad=$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["badLines"])'); break ;; esac
  echo "# $(date +%T) $(echo "$status" | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["done"], "of", b["lines"])')" >&2
  sleep "${POLL:-5}"
done
t2=$(date +%s%N)
results=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/batches/$id/results" -H 'X-API-Key: demo-batch' | wc -l)
t3=$(date +%s%N)
peak
decide_ms=$(( (t2 - t1) / 1000000 ))
commits=$(bench_group_commits $PORT | cut -d, -f2,3)
svc=$(pgrep -f "server.port=$PORT" | head -1)
heap=$(jcmd "$svc" GC.run >/dev/null 2>&1; jcmd "$svc" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}')
hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/"$svc"/status 2>/dev/null || echo)
echo "lines,bad_lines,threads,in_flight,java_opts,upload_ms,decide_ms,decisions_per_s,results_ms,result_lines,mean_commit_decisions,mean_commit_ms,heap_used_after_gc,rss_peak_mib,vm_hwm_mib"
echo "$LINES,$bad,$THREADS,$IN_FLIGHT,$JAVA_OPTS,$(( (t1 - t0) / 1000000 )),$decide_ms,$(( (LINES - bad) * 1000 / (decide_ms + 1) )),$(( (t3 - t2) / 1000000 )),$results,$commits,$heap,$(( rss / 1024 )),$hwm"
grep -E "OutOfMemory|ERROR" "$WORK/service.log" | head -5 || true
