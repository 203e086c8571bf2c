#!/usr/bin/env bash
# HTTP load benchmark of a decision service call: POST /api/v1/models/dunning (see docs/performance.md).
#
#   src/bench/model-bench.sh                        # ceiling and dunning, 32 connections, 3 rounds of 15 s each
#   ROUNDS=5 DURATION=10s MODES="ceiling dunning h2" src/bench/model-bench.sh
#   BEFORE_JAR=/tmp/old/termsgate.jar BEFORE_AIDS=/tmp/old/test-classes MODES="dunning before" src/bench/model-bench.sh
#
# Modes, each a service process of its own, all started first and then measured in turns (round 1: every mode, round
# 2: every mode, ...), so that what else the machine is doing weighs on every mode alike; each mode's figure is the
# median of its rounds:
#   ceiling  POST /bench/ceiling: same HTTP stack, security and request parsing, fixed answer, no engine, no log
#   dunning  POST /api/v1/models/dunning (DECISION_CLIENT), every call logged durably in the model calls' chain on
#            PostgreSQL (127.0.0.1:5432, database termsgate_bench_dunning, recreated)
#   h2       the same on the embedded H2 file database
#   before   the same as dunning with another build (BEFORE_JAR, its test classes in BEFORE_AIDS): e.g. the build
#            before model calls had group commit, for a before/after ratio within one run
# Prints mode,round,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors, then the medians; per mode the
# model call log's mean batch size and commit latency (its metrics) and the chain verified at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
MODES=${MODES:-"ceiling dunning"}
BASE_PORT=${BASE_PORT:-18090}
PGHOST=${PGHOST:-127.0.0.1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
read -r -a SERVICE <<< "${SERVICE_ARGS:-}"

bench_need_wrk
bench_jar
WORK=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

# the measuring aids (the ceiling endpoint) are test classes: packed apart, on the launch's loader.path
bench_measuring_aids target/test-classes "$WORK/aids.jar"

declare -A PORT PATH_OF SCRIPT
start() {
  local mode=$1 port=$2 jar=$3 aidsjar=$4; shift 4
  mkdir -p "$WORK/$mode"
  (cd "$WORK/$mode" && exec java $JAVA_OPTS -Dloader.path="$aidsjar" -cp "$jar" \
      org.springframework.boot.loader.launch.PropertiesLauncher --server.port=$port --logging.level.root=WARN \
      --termsgate.ruleset.dir="$OLDPWD" "$@" "${SERVICE[@]}" > "$WORK/$mode/service.log" 2>&1) &
  PIDS+=($!)
  PORT[$mode]=$port
}

healthy() {
  local mode=$1
  for _ in $(seq 1 1800); do
    curl -fs "http://127.0.0.1:${PORT[$mode]}/actuator/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$mode did not start"; cat "$WORK/$mode/service.log"; exit 1
}

pg() {
  bench_fresh_database "termsgate_bench_$1"
  echo --spring.profiles.active=postgres,benchmark \
    --spring.datasource.url=jdbc:postgresql://$PGHOST:5432/termsgate_bench_$1 \
    --spring.datasource.username=postgres --spring.datasource.password=
}

port=$BASE_PORT
for mode in $MODES; do
  case $mode in
    ceiling) start ceiling $port "$JAR" "$WORK/aids.jar" $(pg ceiling)
             PATH_OF[$mode]=/bench/ceiling; SCRIPT[$mode]=src/bench/wrk/decide.lua ;;
    dunning) start dunning $port "$JAR" "$WORK/aids.jar" $(pg dunning)
             PATH_OF[$mode]=/api/v1/models/dunning; SCRIPT[$mode]=src/bench/wrk/dunning.lua ;;
    before)  bench_measuring_aids "${BEFORE_AIDS:?BEFORE_AIDS: the test classes of the BEFORE_JAR build}" "$WORK/before-aids.jar"
             start before $port "${BEFORE_JAR:?}" "$WORK/before-aids.jar" $(pg before)
             PATH_OF[$mode]=/api/v1/models/dunning; SCRIPT[$mode]=src/bench/wrk/dunning.lua ;;
    h2)      start h2 $port "$JAR" "$WORK/aids.jar" --spring.profiles.active=benchmark \
               "--spring.datasource.url=jdbc:h2:file:$WORK/h2/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
             PATH_OF[$mode]=/api/v1/models/dunning; SCRIPT[$mode]=src/bench/wrk/dunning.lua ;;
    *) echo "unknown mode $mode"; exit 1 ;;
  esac
  port=$((port + 1))
done
for mode in $MODES; do healthy "$mode"; done
for mode in $MODES; do
  wrk -t2 -c32 -d"$WARMUP" -s "${SCRIPT[$mode]}" "http://127.0.0.1:${PORT[$mode]}${PATH_OF[$mode]}" >/dev/null
done

echo "mode,round,connections,rps,p50_ms,p99_ms,p999_ms,max_ms,non2xx,socket_errors"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONNECTIONS; do
    for mode in $MODES; do
      threads=2; [ "$c" -lt 2 ] && threads=1
      wrk -t$threads -c"$c" -d"$DURATION" --timeout 10s -s "${SCRIPT[$mode]}" \
        "http://127.0.0.1:${PORT[$mode]}${PATH_OF[$mode]}" > "$WORK/wrk.out"
      line=$(grep '^RESULT' "$WORK/wrk.out")
      echo "$mode,$round,$c,${line#RESULT,}" | tee -a "$WORK/results.csv"
    done
  done
done

echo "# medians over $ROUNDS rounds (requests/s, p99 ms):"
for c in $CONNECTIONS; do
  for mode in $MODES; do
    grep "^$mode,[0-9]*,$c," "$WORK/results.csv" | cut -d, -f4 | sort -n | awk -v m="$mode" -v c="$c" \
      '{a[NR]=$1} END {printf "# %s at %s connections: median %s requests/s", m, c, a[int((NR+1)/2)]}'
    grep "^$mode,[0-9]*,$c," "$WORK/results.csv" | cut -d, -f6 | sort -n | awk '{a[NR]=$1} END {printf ", p99 %s ms\n", a[int((NR+1)/2)]}'
  done
done
for mode in $MODES; do
  [ "$mode" = ceiling ] && continue
  bench_group_commits "${PORT[$mode]}" termsgate_models_log | awk -F, -v mode="$mode" '
    $1 > 0 { printf "# %s: %d commits, mean batch %.1f calls, mean commit %.2f ms\n", mode, $1, $2, $3 }
    $1 == 0 { printf "# %s: no group commit metrics (one transaction per call)\n", mode }'
  echo "# $mode: chain $(curl -s "http://127.0.0.1:${PORT[$mode]}/api/v1/audit/models/verify" -H 'X-API-Key: demo-auditor')"
done
