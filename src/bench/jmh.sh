#!/usr/bin/env bash
# JMH benchmarks of the decision engine in process, no HTTP (see docs/performance.md).
#
#   src/bench/jmh.sh                    # all benchmarks, the settings in their annotations (~25 min on 2 cores)
#   src/bench/jmh.sh -wi 1 -w 1s -i 2 -r 2s -p rows=10,1000      # a quick run of everything (~6 min)
#   src/bench/jmh.sh 'EngineBenchmark.decide$'                    # one benchmark (a regex on class.method)
#   src/bench/jmh.sh EngineStagesBenchmark -wi 1 -i 3             # one class, fewer iterations
#   src/bench/jmh.sh -l                                           # list the benchmarks; -h for every JMH option
#
# Every argument goes to JMH (org.openjdk.jmh.Main) as it is: benchmark regexes, -f forks, -wi/-w warm-up
# iterations/time, -i/-r measurement iterations/time, -t threads, -p param=v1,v2, -e exclude regex, -prof gc,
# -rf json -rff file. Unless -rf/-rff is given, the results are written to target/jmh/result-<time>.json.
#
# The benchmarks (src/test/java, compiled with the tests, never run by surefire: no @Test, no *Test names):
#   io.termsgate.bench.EngineBenchmark.decide / decideTwoThreads      one full decision, 1 and 2 threads
#   io.termsgate.engine.drools.EngineStagesBenchmark.*                each stage alone: knockoutsDrl,
#       scorecardSpreadsheet, rulesCombined, dmn, dmnWithTrace
#   io.termsgate.engine.drools.RulesetGrowthBenchmark.*               spreadsheetRows, dmnRows at rows=10..10000
#   io.termsgate.engine.drools.CompileTimeBenchmark.*                 compile time (single shot, ms): defaultRuleset,
#       spreadsheetRows, dmnRows at rows=10..10000
#
# Runs from the repository root (the benchmarks read rules/ and decision-tables/ from there). The compiled classes
# are copied to a temporary folder first, so a rebuild during a long run cannot change what is measured.
# JAVA (default: java on the PATH) picks the JVM; JMH forks its benchmark JVMs from it.
set -euo pipefail
cd "$(dirname "$0")/../.."

./mvnw -q -B test-compile
mkdir -p target/jmh
# maven-dependency-plugin's version is managed by the Spring Boot parent (exec-maven-plugin's is not)
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh/classpath.txt

SNAPSHOT=$(mktemp -d "${TMPDIR:-/tmp}/termsgate-jmh.XXXXXX")
trap 'rm -rf "$SNAPSHOT"' EXIT
cp -r target/classes "$SNAPSHOT/classes"
cp -r target/test-classes "$SNAPSHOT/test-classes"
[ -f "$SNAPSHOT/test-classes/META-INF/BenchmarkList" ] || { echo "no JMH benchmarks were generated" >&2; exit 1; }

RESULT=()
case " $* " in
  *" -rf "*|*" -rff "*|*" -l "*|*" -lp "*|*" -h "*) ;;
  *) RESULT=(-rf json -rff "target/jmh/result-$(date +%Y%m%d-%H%M%S).json") ;;
esac

"${JAVA:-java}" -cp "$SNAPSHOT/test-classes:$SNAPSHOT/classes:$(cat target/jmh/classpath.txt)" \
    org.openjdk.jmh.Main "${RESULT[@]}" "$@"
