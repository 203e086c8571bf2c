#!/usr/bin/env bash
# A backtest that changes every decision it replays, on a service with a small heap (see docs/performance.md,
# "Backtests with bounded memory").
#
#   src/bench/backtest-bench.sh                       # 200,000 decisions, -Xmx256m, termsgate.jobs.threads=1, H2 file
#   DECISIONS=20000 src/bench/backtest-bench.sh       # a quick one
#   PG=1 src/bench/backtest-bench.sh                  # on the local PostgreSQL (127.0.0.1:5432, database test)
#   JAR=/tmp/termsgate.jar SKIP_BUILD=1 ...           # a jar built before
#
# 1. Generates DECISIONS decision requests of healthy buyers with large revenues (no knock-out, grades A to D, so each
#    one's limit is its grade's cap) and has the service decide and log them as one batch (POST /api/v1/batches).
# 2. Uploads a candidate whose DMN raises the caps of grades A to D by 1,000 (its scenarios removed: they expect the
#    live caps), so every logged decision's limit changes under it.
#    A second person approves it (SANDBOX=1: not, so it replays in the sandbox worker, much slower).
# 3. Backtests the candidate over the whole log, waits for DONE, and reads the report, the last page of the changed
#    decisions through the API and the whole CSV export.
# Prints the batch rate, the backtest's rate, its counts, the heap used after a full collection while the backtest ran
# (sampled) and at the end, and the service's resident memory peak (VmHWM).
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
DECISIONS=${DECISIONS:-200000}
THREADS=${THREADS:-1}
PORT=${PORT:-18082}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx256m"}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

bench_jar
WORK=${WORK:-$(mktemp -d)}
trap 'kill $PID 2>/dev/null || true' EXIT
if [ -n "${PG:-}" ]; then
  bench_fresh_schema backtest_bench
fi
API="http://127.0.0.1:$PORT/api/v1"

python3 - "$DECISIONS" > "$WORK/decisions.jsonl" <<'PY'
import sys
industries = ["MANUFACTURING", "WHOLESALE", "RETAIL", "SOFTWARE"]
for i in range(int(sys.argv[1])):
    sys.stdout.write('{"customer":{"id":"BT-%04d","country":"DE","industry":"%s","yearsInBusiness":%d,'
                     '"annualRevenue":%d,"creditScore":%d,"paymentHistory":{"invoicesPaid":%d,"avgDaysBeyondTerms":%d,'
                     '"maxDaysPastDue":%d},"outstandingBalance":%d,"flags":[]},"order":{"amount":%d,"currency":"EUR",'
                     '"requestedTermDays":%d}}\n' % (
                         i % 1000, industries[i % 4], 3 + i % 15, 200000000 + (i * 7919) % 300000000, 45 + i % 55,
                         12 + i % 48, i % 6, i % 20, (i * 104729) % 20000, 1000 + (i * 31) % 9000, (30, 60)[i % 2]))
PY
python3 - decision-tables/credit-terms.dmn > "$WORK/credit-terms.dmn" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for rule, cap in (("1", 1000000), ("2", 400000), ("3", 150000), ("4", 40000)):
    old = '<outputEntry id="_LimitCap_dt_r%s_o1"><text>%d</text>' % (rule, cap)
    assert old in text, old
    text = text.replace(old, '<outputEntry id="_LimitCap_dt_r%s_o1"><text>%d</text>' % (rule, cap + 1000))
sys.stdout.write(text)
PY

(cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --server.port=$PORT --logging.level.root=WARN \
    --logging.level.io.termsgate.backtest=INFO --termsgate.ruleset.dir="$OLDPWD" --termsgate.jobs.threads="$THREADS" \
    "${SERVICE[@]}" > "$WORK/service.log" 2>&1) &
PID=$!
bench_await_healthy $PORT 120 "$WORK/service.log"
svc=$(pgrep -f "server.port=$PORT" | head -1)
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
heap_after_gc() { jcmd "$svc" GC.run >/dev/null 2>&1; jcmd "$svc" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}'; }

echo "# $(date +%T) deciding $DECISIONS lines as a batch" >&2
t0=$(date +%s%N)
batch=$(curl -fsS -X POST "$API/batches" -H 'X-API-Key: demo-batch' -H 'Content-Type: application/x-ndjson' \
    -T "$WORK/decisions.jsonl" | json 'd["id"]')
while true; do
  status=$(curl -fsS "$API/batches/$batch" -H 'X-API-Key: demo-batch')
  case "$status" in *'"status":"DONE"'*) break ;; esac
  echo "# $(date +%T) batch $(echo "$status" | json 'str(d["done"]) + " of " + str(d["lines"])')" >&2
  sleep "${POLL:-10}"
done
t1=$(date +%s%N)
bad=$(echo "$status" | json 'd["badLines"]')
batch_ms=$(( (t1 - t0) / 1000000 ))
bench_group_commits $PORT | awk -F, '$1 > 0 {
    printf "# batch: %d commits, mean %.1f decisions, mean commit %.2f ms\n", $1, $2, $3 }' >&2

live=$(curl -fsS "$API/rulesets/active" -H 'X-API-Key: demo-analyst' | json 'd["version"]')
upload=$(curl -sS -X POST "$API/rulesets" -H 'X-API-Key: demo-analyst' -F "base=$live" \
    -F "file=@$WORK/credit-terms.dmn;filename=decision-tables/credit-terms.dmn" \
    -F "delete=decision-tables/scenarios/policy-examples.csv" -F "delete=decision-tables/scenarios/credit-lines.csv")
candidate=$(echo "$upload" | json 'd["version"]' 2>/dev/null) || { echo "candidate refused: $upload" >&2; exit 1; }
# approved by a second person, as a real backtest's candidate often is not: an approved version replays in process,
# a candidate nobody approved in the sandbox worker (docs/security.md), one process round trip per decision
if [ -z "${SANDBOX:-}" ]; then
  curl -fsS -X POST "$API/rulesets/$candidate/approve" -H 'X-API-Key: demo-approver' >/dev/null
fi
echo "# $(date +%T) candidate $candidate; backtest over the whole log" >&2

t2=$(date +%s%N)
location=$(curl -fsS -X POST "$API/rulesets/$candidate/backtests" -H 'X-API-Key: demo-analyst' -D - -o /dev/null \
    | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
peak_heap=0
while true; do
  status=$(curl -fsS "http://127.0.0.1:$PORT$location" -H 'X-API-Key: demo-analyst')
  case "$status" in *'"status":"DONE"'*) break ;; *'"status":"RUNNING"'*) ;; *) echo "$status" >&2; exit 1 ;; esac
  h=$(heap_after_gc); h=${h%K}; [ "${h:-0}" -gt "$peak_heap" ] && peak_heap=$h
  echo "# $(date +%T) backtest $(echo "$status" | json 'str(d["backtest"]["done"]) + " of " + str(d["backtest"]["total"])'), heap after GC ${h}K" >&2
  sleep "${POLL:-10}"
done
t3=$(date +%s%N)
report=$(echo "$status" | json 'str(d["report"]["total"]) + "," + str(d["report"]["changed"]) + "," + str(len(d["report"]["changedDecisions"])) + "," + str(d["report"]["durationMillis"]) + "," + str(round(d["report"]["decisionsPerSecond"]))')
changed=$(echo "$report" | cut -d, -f2)
last_page=$(( (changed - 1) / 1000 ))
on_last=$(curl -fsS "http://127.0.0.1:$PORT$location/changed?page=$last_page&size=1000" -H 'X-API-Key: demo-auditor' \
    | json 'len(d["changedDecisions"])')
t4=$(date +%s%N)
csv_rows=$(curl -fsS "http://127.0.0.1:$PORT$location/report.csv" -H 'X-API-Key: demo-auditor' | tail -n +2 | wc -l)
t5=$(date +%s%N)
end_heap=$(heap_after_gc)
hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/"$svc"/status)
echo "decisions,bad_lines,batch_ms,batch_decisions_per_s,threads,java_opts,backtest_total,changed,listed_in_report,backtest_ms,backtest_decisions_per_s,changed_on_last_page,csv_rows,csv_ms,peak_heap_after_gc_while_running,heap_after_gc_at_end,vm_hwm_mib"
echo "$DECISIONS,$bad,$batch_ms,$(( (DECISIONS - bad) * 1000 / (batch_ms + 1) )),$THREADS,$JAVA_OPTS,$report,$on_last,$csv_rows,$(( (t5 - t4) / 1000000 )),${peak_heap}K,$end_heap,$hwm"
grep -E "OutOfMemory|ERROR" "$WORK/service.log" | head -5 || true
