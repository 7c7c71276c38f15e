#!/usr/bin/env bash
# Load benchmark against a running local system (deploy/local/run.sh in another terminal). Prints figures.
# Usage: deploy/local/bench.sh [rate-per-second=1000] [seconds=30] [trials=500]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-1000}; SECONDS_=${2:-30}; TRIALS=${3:-500}
CP_FILE=system-tests/target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ ! -d system-tests/target/test-classes ]; then
  ./mvnw -B -q -pl kafka-launcher,trial-events,test-support,system-tests install -DskipTests
  ./mvnw -B -q -pl system-tests dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
exec java -Xmx1g -cp "system-tests/target/test-classes:$(cat "$CP_FILE")" \
  org.trialwatch.system.bench.StatusChangeBenchmark http://127.0.0.1:8081 "127.0.0.1:${TRIALWATCH_KAFKA_PORT:-9092}" "$RATE" "$SECONDS_" "$TRIALS"
