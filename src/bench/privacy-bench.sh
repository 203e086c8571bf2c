#!/usr/bin/env bash
# What sealing personal data and signed checkpoints (issue 15) cost on checkout's path, over HTTP, in one run: the
# same requests, alternating, against
#   before  a jar built from the commit before sealing (BEFORE_JAR), checkpoints as good as off
#   sealed  the current jar, checkpoints as good as off (sealing alone)
#   both    the current jar as shipped: sealing, and a signed checkpoint every 1,000 records and every minute
# each a fresh service on a fresh PostgreSQL database (127.0.0.1:5432, termsgate_bench), all on one ruleset folder.
#
#   git worktree add /tmp/before <commit> && (cd /tmp/before && ./mvnw -q package -DskipTests)
#   BEFORE_JAR=/tmp/before/target/termsgate-0.1.0-SNAPSHOT.jar RULESET_DIR=/tmp/before src/bench/privacy-bench.sh
#
# Prints mode,round,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors at saturation (CONNECTIONS), then the
# same at a fixed offered rate (PACE_MS per connection; 32 connections at 40 ms offer about 800 requests/s).
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
BEFORE_JAR=${BEFORE_JAR:?set BEFORE_JAR to a jar built from the commit before sealing}
RULESET_DIR=${RULESET_DIR:-$PWD}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-32}
PACE_MS=${PACE_MS:-40}
PORT=${PORT:-18080}
PGHOST=${PGHOST:-127.0.0.1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
bench_need_wrk
bench_jar
NOW_JAR=$JAR
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
NO_CHECKPOINTS=(--termsgate.audit.checkpoints.every=1000000000000 --termsgate.audit.checkpoints.interval=100000h
                --termsgate.audit.checkpoints.poll-interval=100000h)

one() {
  local mode=$1 round=$2 jar=$3; shift 3
  bench_fresh_database termsgate_bench
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  (cd "$WORK" && exec java $JAVA_OPTS -jar "$jar" --server.port=$PORT --logging.level.root=WARN \
      --spring.profiles.active=postgres --spring.datasource.url=jdbc:postgresql://$PGHOST:5432/termsgate_bench \
      --spring.datasource.username=postgres --spring.datasource.password= \
      --termsgate.ruleset.dir="$RULESET_DIR" --termsgate.ruleset.watch=false \
      --termsgate.audit.checkpoints.dir="$WORK/data/checkpoints" "$@" > "$WORK/service.log" 2>&1) &
  PID=$!
  bench_await_healthy $PORT 60 "$WORK/service.log"
  wrk -t2 -c32 -d"$WARMUP" -s src/bench/wrk/decide.lua "http://127.0.0.1:$PORT/api/v1/credit-decisions" >/dev/null
  local line
  line=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua \
      "http://127.0.0.1:$PORT/api/v1/credit-decisions" | grep '^RESULT')
  echo "$mode,$round,saturated,${line#RESULT,}"
  line=$(PACE_MS=$PACE_MS wrk -t2 -c32 -d"$DURATION" --timeout 10s -s src/bench/wrk/decide.lua \
      "http://127.0.0.1:$PORT/api/v1/credit-decisions" | grep '^RESULT')
  echo "$mode,$round,paced-${PACE_MS}ms,${line#RESULT,}"
  kill $PID; wait $PID 2>/dev/null || true
  PID=
}

echo "mode,round,load,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors"
for round in $(seq 1 "$ROUNDS"); do
  one before "$round" "$BEFORE_JAR" "${NO_CHECKPOINTS[@]}"
  one sealed "$round" "$NOW_JAR" "${NO_CHECKPOINTS[@]}" --termsgate.privacy.generated-key-file="$WORK/data/privacy-key"
  one both "$round" "$NOW_JAR" --termsgate.privacy.generated-key-file="$WORK/data/privacy-key"
done
