#!/usr/bin/env bash
# The one benchmark of TrialWatch, run against the system deploy/local/run.sh started (in another terminal; it reads
# that run's .local/ for the ports, process ids, database and times to ready, and starts nothing of its own beyond a
# webhook receiver and Kafka's ProducerPerformance). Measures in one run: the machine's limits (single-row INSERTs on
# the same PostgreSQL, the broker's producer rate with acks=all), registry writes alone, end to end at fixed offered
# rates (curator's 2xx -> CloudEvent on trial-events, signed webhook at a local receiver, new group summary version),
# CPU per change, the fan-out to 10,000 webhook subscriptions, dashboard-style reads, time to ready and idle RSS.
# Prints a table and writes bench/results/<date>-<cores>c.json. Asserts nothing. Takes about 10 minutes by default.
#
# Usage: deploy/local/bench.sh [seconds-per-rate=60] [rates=50,100,200,500]
#   BENCH_PHASE_SECONDS (10) closed-loop phases (INSERTs, registry alone, reads); BENCH_FANOUT (10000; 0 skips it);
#   BENCH_TRIALS (500) benchmark trials (NCT98xxxxxx); BENCH_JAVA_OPTS more or overriding -Dbench.* settings
#   (SystemBenchmark's javadoc), e.g. -Dbench.out=/tmp to keep a trial run out of bench/results, or
#   -Dbench.only=reads for just the reads phase (a minute; written as <date>-<cores>c-reads.json).
#   BENCH_CLIENT_JAVA_OPTS (-XX:TieredStopAtLevel=1) the benchmark's own JVM flags; set, even empty, it replaces them.
#   The end-to-end rates follow an unmeasured 20 s warm-up at the first rate (fresh JVMs compile their hot
#   paths then); -Dbench.warmupSeconds=0 skips it.
# Quick look: deploy/local/bench.sh 10 50,200   (with BENCH_FANOUT=1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RATE=${1:-60}; RATES=${2:-50,100,200,500}
[ -f .local/ports.env ] && [ -f .local/pids ] || { echo "start the system first: deploy/local/run.sh" >&2; exit 1; }
# shellcheck source=/dev/null
source .local/ports.env

# The benchmark's classes and classpath are built inside the reactor (-am): the libraries come from their target/
# folders, so a fresh clone needs nothing installed into ~/.m2. Rebuilt when a benchmark source is newer.
CP_FILE=system-tests/target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ -n "$(find system-tests/src/test/java/org/trialwatch/system/bench -newer "$CP_FILE" -print -quit)" ]; then
  echo "== building the benchmark (system-tests and the libraries it needs)"
  MAVEN_OPTS=${MAVEN_OPTS:--Xmx1g} ./mvnw -B -q ${BENCH_MAVEN_ARGS:-} -pl system-tests -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
  touch "$CP_FILE" # the plugin leaves an unchanged file alone; its time says when the classes were built
fi

# The benchmark shares the two cores with the system it measures, so its own JVM compiles with C1 only, as the
# services do (ADR 0402): with C2 its compiler threads took about a third of a core during the 200/s phase.
CLIENT_JAVA_OPTS=${BENCH_CLIENT_JAVA_OPTS--XX:TieredStopAtLevel=1}
# shellcheck disable=SC2086
exec java -Xmx1g $CLIENT_JAVA_OPTS -cp "system-tests/target/test-classes:$(cat "$CP_FILE")" \
  -Dbench.registry="http://127.0.0.1:$REGISTRY_PORT" -Dbench.evidence="http://127.0.0.1:$EVIDENCE_PORT" \
  -Dbench.notification="http://127.0.0.1:$NOTIFICATION_PORT" -Dbench.bootstrap="127.0.0.1:$KAFKA_PORT" \
  -Dbench.state=.local -Dbench.kafkaLibs=kafka-launcher/target/lib \
  -Dbench.seconds="$SECONDS_PER_RATE" -Dbench.rates="$RATES" \
  -Dbench.phaseSeconds="${BENCH_PHASE_SECONDS:-10}" -Dbench.fanout="${BENCH_FANOUT:-10000}" \
  -Dbench.trials="${BENCH_TRIALS:-500}" -Dbench.out=bench/results ${BENCH_JAVA_OPTS:-} \
  org.trialwatch.system.bench.SystemBenchmark
