#!/usr/bin/env bash
# Notification-service benchmark against a running notification service (deploy/local/run.sh, or your own instance);
# the service must allow the local receiver: TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1. Publishes straight to
# trial-events (no registry needed). Prints figures.
# Usage:
#   deploy/local/bench-fanout.sh [notification-port=8083] [kafka-port=9092] [subscriptions=10000] [teams=200: a team holds at most 100 subscriptions and may verify 50 endpoints an hour]
#       one trial.status-changed fanned out to that many webhook subscriptions: time until all delivered, p50/p99
#   deploy/local/bench-fanout.sh [notification-port] [kafka-port] events [rate=1000] [seconds=10] [subscriptions=3] [trials=100]
#       status changes at a rate, each to a few subscriptions: per-event publish -> delivered latency, kept-up rate
# -Dbench.keep=true (in BENCH_JAVA_OPTS) keeps the subscriptions made; -Dbench.timeout=SECONDS bounds the wait.
set -euo pipefail
cd "$(dirname "$0")/../.."
NOTIFICATION_PORT=${1:-8083}; KAFKA_PORT=${2:-9092}
shift $(( $# < 2 ? $# : 2 ))
if [ "${1:-}" = "events" ]; then shift; MODE=events; ARGS=("${1:-1000}" "${2:-10}" "${3:-3}" "${4:-100}")
else MODE=fanout; ARGS=("${1:-10000}" "${2:-200}"); fi
CP_FILE=system-tests/target/bench.classpath
if [ ! -f "$CP_FILE" ] || [ ! -f system-tests/target/test-classes/org/trialwatch/system/bench/FanOutBenchmark.class ]; then
  # inside the reactor (-am): nothing is installed into ~/.m2, so a fresh clone works
  ./mvnw -B -q -pl system-tests -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "system-tests/target/test-classes:$(cat "$CP_FILE")" \
  org.trialwatch.system.bench.FanOutBenchmark "$MODE" "http://127.0.0.1:$NOTIFICATION_PORT" "127.0.0.1:$KAFKA_PORT" "${ARGS[@]}"
