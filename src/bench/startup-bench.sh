#!/usr/bin/env bash
# Launch to healthy of the packaged jar on the embedded defaults (H2 file database, the default ruleset), without and
# with class data sharing (AppCDS), alternating which goes first (see docs/performance.md, docs/operations.md).
#
#   src/bench/startup-bench.sh            # 3 pairs
#   RUNS=5 SKIP_BUILD=1 src/bench/startup-bench.sh
#
#   jar      java -jar target/termsgate-*.jar (the fat jar: its nested jars cannot be archived)
#   cds      the same jar extracted (java -Djarmode=tools -jar ... extract), then
#            java -XX:SharedArchiveFile=termsgate.jsa -jar termsgate.jar, the archive dumped from a training run first
#            (the Dockerfile's steps: -XX:DumpLoadedClassList up to a refreshed context, lambda entries left out because
#            JDK 17.0.15 crashes dumping them, then -Xshare:dump)
#   jar-cached, cds-cached   the same, with the compiled ruleset cache (termsgate.engine.cache-dir) kept across
#            runs: a restart that loads the compiled rules instead of compiling them (each is started once, unmeasured,
#            to fill it); jar and cds start with an empty cache (a first start: they compile and write it)
#   jar-restart, cds-restart   a restart: the same data directory (H2 database, keys, checkpoints) and the same cache
#            as the start before it, as when a deployed service is restarted; a first start, unmeasured, fills both
#   MODES="jar cds" keeps to some of them.
# Each run but the restarts starts on a fresh data directory and prints seconds from launch to GET /actuator/health answering UP, and
# the CPU seconds the service process had used by then (user + system, all its threads: on a shared machine this moves
# far less with the load than the wall-clock figure), and the load average of the last minute.
# JAR=path/to.jar measures a jar built before (e.g. one kept aside from another commit) instead of target's.
set -euo pipefail
cd "$(dirname "$0")/../.."
. src/bench/lib.sh
RUNS=${RUNS:-3}
MODES=${MODES:-"jar cds jar-cached cds-cached"}
PORT=${PORT:-18181}
JAVA_OPTS=${JAVA_OPTS:-""}
bench_jar
WORK=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
ARGS=(--server.port=$PORT --termsgate.ruleset.dir="$PWD" --termsgate.ruleset.watch=false)

case " $MODES " in *" cds"*) ;; *) NO_CDS=1 ;; esac
if [ -z "${NO_CDS:-}" ]; then
echo "# extracting the jar and dumping its AppCDS archive (training run)" >&2
java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" --application-filename termsgate.jar >/dev/null
(cd "$WORK/app" && java -XX:DumpLoadedClassList="$WORK/classes.lst" -Dspring.context.exit=onRefresh -jar termsgate.jar \
    "${ARGS[@]}" "--spring.datasource.url=jdbc:h2:mem:training;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    --termsgate.audit.checkpoints.dir="$WORK/training/checkpoints" \
    --termsgate.privacy.generated-key-file="$WORK/training/privacy-master-key" > "$WORK/training.log" 2>&1) || true
grep -v '^@lambda' "$WORK/classes.lst" > "$WORK/classes-nolambda.lst"
(cd "$WORK/app" && java -Xshare:dump -XX:SharedClassListFile="$WORK/classes-nolambda.lst" \
    -XX:SharedArchiveFile=termsgate.jsa -cp termsgate.jar > "$WORK/dump.log" 2>&1)
echo "# archive: $(du -m "$WORK/app/termsgate.jsa" | cut -f1) MiB, $(wc -l < "$WORK/classes-nolambda.lst") classes listed" >&2
fi

healthy() { # mode, command...
  local mode=$1; shift
  local data="$WORK/run-$RANDOM"
  case $mode in *-restart) data="$WORK/data-$mode" ;; esac
  mkdir -p "$data"
  local t0; t0=$(date +%s%N)
  (cd "$data" && exec "$@" "${ARGS[@]}" > "$data/service.log" 2>&1) &
  PID=$!
  until curl -fs "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 $PID 2>/dev/null || { echo "$mode did not start"; tail -20 "$data/service.log"; exit 1; }
    sleep 0.05
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  local stat; read -r -a stat < /proc/$PID/stat
  local cpu=$(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  kill $PID; wait $PID 2>/dev/null || true; PID=
  printf '%s,%d.%03d,%d.%03d,%s\n' "$mode" $((ms / 1000)) $((ms % 1000)) $((cpu / 1000)) $((cpu % 1000)) "$load"
}

start() { # mode
  case $1 in
    jar) healthy jar java $JAVA_OPTS -jar "$JAR" ;;
    cds) healthy cds java $JAVA_OPTS -XX:SharedArchiveFile="$WORK/app/termsgate.jsa" -jar "$WORK/app/termsgate.jar" ;;
    jar-cached) healthy jar-cached java $JAVA_OPTS -jar "$JAR" --termsgate.engine.cache-dir="$WORK/ruleset-cache" ;;
    cds-cached) healthy cds-cached java $JAVA_OPTS -XX:SharedArchiveFile="$WORK/app/termsgate.jsa" \
        -jar "$WORK/app/termsgate.jar" --termsgate.engine.cache-dir="$WORK/ruleset-cache" ;;
    jar-restart) healthy jar-restart java $JAVA_OPTS -jar "$JAR" --termsgate.engine.cache-dir="$WORK/restart-cache" ;;
    cds-restart) healthy cds-restart java $JAVA_OPTS -XX:SharedArchiveFile="$WORK/app/termsgate.jsa" \
        -jar "$WORK/app/termsgate.jar" --termsgate.engine.cache-dir="$WORK/restart-cache" ;;
    *) echo "unknown mode $1" >&2; exit 2 ;;
  esac
}

for mode in $MODES; do
  case $mode in *-cached | *-restart) echo "# filling the cache: $(start "$mode")" >&2 ;; esac
done
echo "mode,seconds_to_healthy,cpu_seconds,load1"
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then order=$MODES; else order=$(echo $MODES | tr ' ' '\n' | tac | tr '\n' ' '); fi
  for mode in $order; do start "$mode"; done
done
