# What the benchmark scripts share, sourced by them from the repository root after `set -euo pipefail`:
#
#   cd "$(dirname "$0")/../.."
#   . src/bench/lib.sh
#
# Not a script of its own: it only defines functions.

# Sets JAR to the service jar's absolute path: the one JAR names if set (a jar built before), else target's, built
# first unless SKIP_BUILD is set.
bench_jar() {
  if [ -z "${JAR:-}" ]; then
    [ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
    JAR=$(ls target/termsgate-*.jar | grep -v -- '-plain' | head -1)
  fi
  case "$JAR" in /*) ;; *) JAR="$PWD/$JAR" ;; esac
}

# Fails unless wrk is installed.
bench_need_wrk() {
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
}

# Waits until http://127.0.0.1:PORT/actuator/health answers, polling every 0.1 s for at most SECONDS; otherwise says
# so, prints LOG (the service's output) and exits.
#   bench_await_healthy PORT SECONDS LOG
bench_await_healthy() {
  local port=$1 seconds=$2 log=$3 tries
  for tries in $(seq 1 $((seconds * 10))); do
    curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "service did not start"; cat "$log"; exit 1
}

# Drops and creates the database NAME of the local PostgreSQL (PGHOST, default 127.0.0.1; trust authentication).
bench_fresh_database() {
  psql -q -h "${PGHOST:-127.0.0.1}" -U postgres -c "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1
  psql -q -h "${PGHOST:-127.0.0.1}" -U postgres -c "CREATE DATABASE $1" >/dev/null
}

# Drops and creates SCHEMA in the local PostgreSQL's database `test` (trust authentication), and appends to the
# array SERVICE the arguments that run the service on it.
bench_fresh_schema() {
  psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1" >&2
  SERVICE+=(--spring.profiles.active=postgres
      "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$1"
      --spring.datasource.username=postgres --spring.datasource.password=)
}

# The measuring aids (the ceiling endpoint, the discarding log) are test classes, never in the jar: packs those of
# CLASSES (a test-classes folder) into the jar OUT, to be put on a launch's class path (Spring Boot's
# PropertiesLauncher, -Dloader.path=OUT). Uses $WORK/aids as scratch space.
#   bench_measuring_aids CLASSES OUT
bench_measuring_aids() {
  local classes=$1 out=$2
  [ -f "$classes/io/termsgate/benchmark/BenchmarkProfile.class" ] \
    || { echo "the measuring aids are not compiled in $classes: run ./mvnw -B -q package -DskipTests"; exit 1; }
  rm -rf "$WORK/aids" && mkdir -p "$WORK/aids/io/termsgate"
  cp -r "$classes/io/termsgate/benchmark" "$WORK/aids/io/termsgate/"
  cp -r "$classes/benchmark" "$WORK/aids/"
  jar cf "$out" -C "$WORK/aids" . # with the io/ and io/termsgate/ entries that component scanning looks for
}

# The decision log's group commit from the service's metrics on PORT: "commits,mean batch size,mean commit ms", or
# "0,," when it committed nothing. PREFIX names the metrics (termsgate_audit, termsgate_models_log).
#   bench_group_commits PORT [PREFIX]
bench_group_commits() {
  curl -s "http://127.0.0.1:$1/actuator/prometheus" -H 'X-API-Key: demo-operator' | awk -v p="${2:-termsgate_audit}" '
    $0 ~ "^" p "_batch_size_count" {bn=$2} $0 ~ "^" p "_batch_size_sum" {bs=$2}
    $0 ~ "^" p "_commit_latency_seconds_count" {ln=$2} $0 ~ "^" p "_commit_latency_seconds_sum" {ls=$2}
    END { if (bn > 0) printf "%d,%.1f,%.2f\n", bn, bs/bn, 1000*ls/ln; else print "0,," }'
}
