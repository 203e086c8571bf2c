#!/usr/bin/env bash
# The DMN differential test at full size (docs/decision-services.md, "Compiled evaluation"): every scenario of the
# shipped ruleset decided compiled and interpreted, 100,000 generated inputs per shipped model (credit-terms,
# authority, dunning) and 550 generated models (50 of each hit policy) x 400 inputs, each evaluated both ways and
# compared exactly. The test run by ./mvnw verify is the same test at a size that keeps CI fast (2,500 inputs per
# shipped model, 88 models x 150 inputs).
#
#   src/bench/dmn-differential.sh                       # full size (~10 min on 2 shared cores)
#   src/bench/dmn-differential.sh 20000 220 300         # inputs per shipped model, generated models, inputs each
set -euo pipefail
cd "$(dirname "$0")/../.."
INPUTS=${1:-100000}
MODELS=${2:-550}
MODEL_INPUTS=${3:-400}
./mvnw -B -q -o test -Dtest=DmnCompiledDifferentialTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddifferential.inputs="$INPUTS" -Ddifferential.models="$MODELS" -Ddifferential.model-inputs="$MODEL_INPUTS" \
    | grep -E -A14 '^Differential' || true
grep -h 'Tests run' target/surefire-reports/io.termsgate.engine.drools.DmnCompiledDifferentialTest.txt
