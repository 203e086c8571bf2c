#!/usr/bin/env bash
# Whole credit decisions with the DMN model compiled against interpreted, interleaved round by round in one JVM on
# one thread (io.termsgate.bench.CompiledVersusInterpreted): on a shared, loaded machine the ratio per round is what
# counts. Arguments: rounds (12), seconds per round and path (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B -o test-compile
mkdir -p target/jmh
./mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh/classpath.txt
"${JAVA:-java}" -Xms1g -Xmx1g -cp "target/test-classes:target/classes:$(cat target/jmh/classpath.txt)" \
    io.termsgate.bench.CompiledVersusInterpreted "$@"
