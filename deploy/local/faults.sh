#!/usr/bin/env bash
# The fault matrix (docs/reliability.md): runs the PACKAGED services (target/quarkus-app/quarkus-run.jar, prod
# profile, environment variables only) as separate processes against a Kafka broker (kafka-launcher, KRaft) and a
# throwaway PostgreSQL cluster that this command owns (initdb + pg_ctl on a free port; never the server on 5432),
# drives curator status changes through the registry's REST API while it injects faults (evidence database cut,
# PostgreSQL restart, kill -9 of each service and of the broker, webhook endpoints that stall / are down / fail once /
# answer 410, a poison record), then accounts exactly and prints the figures. Exits 1 when an invariant is broken.
#
# Usage: deploy/local/faults.sh [--changes=2000] [--trials=12] [--rate=10] [--gap=15] [--db-cut=8]
#                               [--endpoint-down=60] [--settle=180] [--retry-schedule=1s,2s,5s,...] [--work-dir=DIR]
#                               [--without=stalled,...]  (leave endpoints out: healthy, stalled, down-then-back, fails-once, gone)
#   (durations in seconds). Needs a JDK 17+ and PostgreSQL 15 binaries (TRIALWATCH_PG_BIN, default
#   /usr/lib/postgresql/15/bin; as root they run as the postgres user through runuser). All ports are free ones
#   picked at run time. State and service logs: system-tests/target/fault-matrix/ (emptied at each run).
#   TRIALWATCH_SKIP_BUILD=1 uses the jars already built. The notification service runs with a short delivery retry
#   schedule (TRIALWATCH_DELIVERY_RETRY_SCHEDULE, default for the matrix 1s,2s,5s,10s,...) so that the endpoint that
#   is down for 60 s recovers within the run; production's is 5s,5m,30m,...
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
CP_FILE=system-tests/target/faults.classpath
if [ "${TRIALWATCH_SKIP_BUILD:-}" != "1" ] || [ ! -f "$CP_FILE" ]; then
  echo "== building (./mvnw package -DskipTests) and resolving the matrix's classpath"
  MAVEN_OPTS=${MAVEN_OPTS:--Xmx1g} ./mvnw -B -q package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/faults.classpath -Dmdep.includeScope=test
fi
exec java -Xmx1g -Dtrialwatch.root="$ROOT" -cp "system-tests/target/test-classes:$(cat "$CP_FILE")" \
  org.trialwatch.system.faults.FaultMatrix "$@"
