#!/usr/bin/env bash
# Runs the whole of TrialWatch on one machine: a Kafka broker (Apache Kafka's jars, KRaft), PostgreSQL (the server
# named by TRIALWATCH_TEST_JDBC_URL, else an embedded one), the three services as packaged jars, seeded, and the
# dashboard on :8080 (its local profile, with the development sign-in).
# Needs only a JDK 17+. Ctrl-C stops everything. State lives in .local/ (delete it for a fresh start).
# Ports: TRIALWATCH_PORT_BASE (default 8080) puts the dashboard on it and the registry, evidence and notification
# services on the next three (each can be set alone: TRIALWATCH_{DASHBOARD,REGISTRY,EVIDENCE,NOTIFICATION}_PORT);
# TRIALWATCH_KAFKA_PORT (9092) and TRIALWATCH_PG_PORT (5433) name the broker's and the embedded PostgreSQL's.
# JVM flags: TRIALWATCH_SERVICE_JAVA_OPTS for the services and dashboard (default C1 only, ADR 0402, and the serial
# collector with a 32 MiB young generation, ADR 0404; set, even empty, it replaces both) and
# TRIALWATCH_BROKER_JAVA_OPTS for the broker (none by default).
# TRIALWATCH_CLASS_ARCHIVES (1): the services and the dashboard start from class-data archives (AppCDS) that the
# first run after a build records and later runs map (ADR 0403); 0 starts them without.
# TRIALWATCH_PG_SETTINGS: settings for a new embedded PostgreSQL, name=value separated by spaces (e.g.
# "shared_preload_libraries=pg_stat_statements", then CREATE EXTENSION pg_stat_statements in a database to see what
# each statement costs; docs/performance.md).
# For deploy/local/bench.sh it notes in .local/ the ports (ports.env), the processes' ids (pids) and each service's
# time from launch to ready, and the whole system's ("system", first launch to the dashboard's ready), in ready.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STATE="$ROOT/.local"
mkdir -p "$STATE/logs"

KAFKA_PORT=${TRIALWATCH_KAFKA_PORT:-9092}
PG_PORT=${TRIALWATCH_PG_PORT:-5433}
PORT_BASE=${TRIALWATCH_PORT_BASE:-8080}
REGISTRY_PORT=${TRIALWATCH_REGISTRY_PORT:-$((PORT_BASE + 1))}
EVIDENCE_PORT=${TRIALWATCH_EVIDENCE_PORT:-$((PORT_BASE + 2))}
NOTIFICATION_PORT=${TRIALWATCH_NOTIFICATION_PORT:-$((PORT_BASE + 3))}
SERVICES=(trial-registry-service:$REGISTRY_PORT:trialwatch_registry evidence-service:$EVIDENCE_PORT:trialwatch_evidence
  notification-service:$NOTIFICATION_PORT:trialwatch_notification)
: > "$STATE/pids"
cat > "$STATE/ports.env" <<PORTS
KAFKA_PORT=$KAFKA_PORT
PG_PORT=$PG_PORT
DASHBOARD_PORT=${TRIALWATCH_DASHBOARD_PORT:-$PORT_BASE}
REGISTRY_PORT=$REGISTRY_PORT
EVIDENCE_PORT=$EVIDENCE_PORT
NOTIFICATION_PORT=$NOTIFICATION_PORT
PORTS
: > "$STATE/ready"
now_ms() { date +%s%3N; }
declare -A started=()

if [ "${TRIALWATCH_SKIP_BUILD:-}" != "1" ]; then
  echo "== building (./mvnw package -DskipTests)"
  MAVEN_OPTS=${MAVEN_OPTS:--Xmx1g} ./mvnw -B -q package -DskipTests
fi

pids=()
recording=() # class-data archives being recorded: kept once their JVM has exited (it writes them as it exits)
mapped=() # class-data archives started from, as "<archive>|<the JVM's log>"
cleanup() {
  echo "== stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for archive in "${recording[@]}"; do
    if [ -s "$archive.recording" ]; then mv "$archive.recording" "$archive"; else rm -f "$archive.recording"; fi
  done
  # An archive the JVM refused (recorded from jars that a build replaced while that run was going: newer than the
  # jars, yet not theirs) is dropped, so the next run records a new one instead of starting without one each time.
  for mapped_archive in "${mapped[@]}"; do
    if grep -q "Unable to use shared archive" "${mapped_archive#*|}" 2>/dev/null; then rm -f "${mapped_archive%%|*}"; fi
  done
}
trap cleanup EXIT INT TERM

wait_for_line() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 5 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; return 1
}

echo "== Kafka broker on 127.0.0.1:$KAFKA_PORT"
# shellcheck disable=SC2086 # TRIALWATCH_BROKER_JAVA_OPTS: more flags for the broker's JVM, word-split on purpose
java -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${TRIALWATCH_BROKER_JAVA_OPTS:-} \
  -jar kafka-launcher/target/kafka-launcher.jar "$KAFKA_PORT" "$STATE/kafka" > "$STATE/logs/kafka.log" 2>&1 &
pids+=($!); echo "kafka $!" >> "$STATE/pids"
wait_for_line "$STATE/logs/kafka.log" KAFKA_READY 90

echo "== PostgreSQL"
dbs=()
for s in "${SERVICES[@]}"; do dbs+=("${s##*:}"); done
java -cp "test-support/target/test-support-1.0.0-SNAPSHOT.jar:test-support/target/lib/*" \
  org.trialwatch.testbed.LocalBed "$PG_PORT" "$STATE/postgres" "${dbs[@]}" > "$STATE/logs/postgres.log" 2>&1 &
pids+=($!); echo "postgres-bed $!" >> "$STATE/pids"
wait_for_line "$STATE/logs/postgres.log" BED_READY 90

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
# The prod profile has no token settings of its own (it refuses to start without them). The local run adds the
# `local` profile, which accepts the development tokens printed below (issuer https://trialwatch.local/dev, audience
# trialwatch, 12 h), and names the development key explicitly; the services log a warning that they accept them.
export QUARKUS_PROFILE=prod,local
export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$ROOT/test-support/src/main/resources/dev-keys/jwt-public.pem"
# The key that seals webhook secrets at rest: made once for this machine, kept in .local/ (never committed).
if [ -z "${TRIALWATCH_WEBHOOKS_SECRET_KEYS:-}" ]; then
  [ -s "$STATE/webhook-secret-key" ] || { head -c 32 /dev/urandom | base64 > "$STATE/webhook-secret-key"; chmod 600 "$STATE/webhook-secret-key"; }
  export TRIALWATCH_WEBHOOKS_SECRET_KEYS="local-1:$(cat "$STATE/webhook-secret-key")"
fi
# The key that signs e-mail confirmation links: the same way, once for this machine.
if [ -z "${TRIALWATCH_MAIL_CONFIRMATION_KEY:-}" ]; then
  [ -s "$STATE/mail-confirmation-key" ] || { head -c 32 /dev/urandom | base64 > "$STATE/mail-confirmation-key"; chmod 600 "$STATE/mail-confirmation-key"; }
  export TRIALWATCH_MAIL_CONFIRMATION_KEY="$(cat "$STATE/mail-confirmation-key")"
fi
# Local conveniences an operator would not set in production: webhooks to receivers on this machine are allowed,
# and without an SMTP server (SMTP_HOST) e-mails are logged instead of sent.
export TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS=${TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS:-127.0.0.1,localhost}
if [ -z "${SMTP_HOST:-}" ]; then export QUARKUS_MAILER_MOCK=true; fi
# Confirmation links in e-mails point at the notification service as this machine reaches it.
export TRIALWATCH_LINKS_NOTIFICATION_BASE_URL=${TRIALWATCH_LINKS_NOTIFICATION_BASE_URL:-http://localhost:$NOTIFICATION_PORT}
# Swagger UI (/q/swagger-ui) on every service; production leaves it off.
export QUARKUS_SWAGGER_UI_ENABLED=${QUARKUS_SWAGGER_UI_ENABLED:-true}
# The JVMs of the services and the dashboard compile with C1 only: with four of them and a broker on a small machine,
# C2's compilations took hundreds of ms of CPU a second for a quarter of an hour after start, and C1 alone made every
# service ready sooner and used less CPU per change at 100 and 200 changes/s (ADR 0402, docs/performance.md).
# They collect garbage with the serial collector and a young generation of 32 MiB (ADR 0404): on a 256 MiB heap G1
# let its young generation grow past 100 MiB, every page of which stays in the process once touched; measured, idle
# RSS 168-181 MiB with these flags against 200-242 MiB with G1, the CPU per change and the collectors' CPU no
# higher. The old generation starts at 32 MiB and grows as it needs, up to -Xmx.
# TRIALWATCH_SERVICE_JAVA_OPTS replaces all of this (set it empty for the JVM's own choices).
SERVICE_JAVA_OPTS=${TRIALWATCH_SERVICE_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -Xmn32m}
# Class-data archives (AppCDS, JDK 13+'s dynamic archives; ADR 0403): loading and linking the classes is most of a
# start's CPU, and the three services start together on two cores. A JVM started with -XX:ArchiveClassesAtExit
# writes the classes it loaded into an archive as it exits (Ctrl-C); a later start maps that archive instead of
# reading, parsing and verifying the classes again (measured: a quarter less CPU and time to ready). One archive per
# jar, beside it in target/: a rebuilt jar is newer than its archive, and the next run records a new one. The JVM
# also checks an archive against the jars it was recorded from and starts without it (with a warning) if they differ;
# run.sh then drops that archive as it stops, so the run after records one.
# Debian's JDK 17 maps archives at a random address (ArchiveRelocationMode=1) and so rewrites every pointer in them,
# which makes each archive's pages private to its JVM: measured, the services' private memory rose by the archive's
# size. At the address it was recorded for (mode 0) an archive's pages stay the file's, clean and shared.
archive_placement="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
archive_opts="" # set by use_class_archive for the next JVM (not a $(…): that would lose `recording` in a subshell)
use_class_archive() { # service directory
  local archive="$ROOT/$1/target/quarkus-app/trialwatch-classes.jsa"
  archive_opts=""
  [ "${TRIALWATCH_CLASS_ARCHIVES:-1}" = "1" ] || return 0
  if [ -s "$archive" ] && [ -z "$(find "$ROOT/$1/target/quarkus-app" -name '*.jar' -newer "$archive" -print -quit)" ]; then
    archive_opts="$archive_placement -XX:SharedArchiveFile=$archive"
    mapped+=("$archive|$STATE/logs/$1.log")
  else
    rm -f "$archive" "$archive.recording"
    recording+=("$archive")
    # the dump's per-class notes (classes it skips) are not worth a reader's time in the service's log
    archive_opts="$archive_placement -XX:ArchiveClassesAtExit=$archive.recording -Xlog:cds=off"
  fi
}

system_started=$(now_ms)
for s in "${SERVICES[@]}"; do
  name=${s%%:*}; rest=${s#*:}; port=${rest%%:*}; db=${rest#*:}
  read -r _ _ url user password < <(grep "^DB $db " "$STATE/logs/postgres.log")
  [ "$password" = "-" ] && password=""
  echo "== $name on :$port (database $db)"
  use_class_archive "$name"
  # shellcheck disable=SC2086 # the JVM flags are word-split on purpose
  QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_URL=$url QUARKUS_DATASOURCE_USERNAME=$user \
    QUARKUS_DATASOURCE_PASSWORD=$password QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    java -Xmx256m $SERVICE_JAVA_OPTS $archive_opts -jar "$name/target/quarkus-app/quarkus-run.jar" \
    > "$STATE/logs/$name.log" 2>&1 &
  pids+=($!); echo "$name $!" >> "$STATE/pids"
  started[$name]=$(now_ms)
done
# True when http://127.0.0.1:<port><path> answers 200. Bash's own /dev/tcp, not curl: a try costs ~0.1 ms of CPU
# where curl cost ~10 ms, and three curls every 0.1 s took about a sixth of two cores from the services starting.
http_ok() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  IFS= read -r -t 2 status <&3
  exec 3<&- 3>&-
  [[ $status == "HTTP/1."?" 200"* ]]
}

# All three are polled in turn, so each one's time to ready (launch -> /q/health/ready answers 200) is within ~0.1 s.
declare -A ready_at=()
for _ in $(seq 1 1200); do
  for s in "${SERVICES[@]}"; do
    name=${s%%:*}; rest=${s#*:}; port=${rest%%:*}
    [ -n "${ready_at[$name]:-}" ] && continue
    if http_ok "$port" /q/health/ready; then
      ready_at[$name]=$(now_ms)
      awk -v n="$name" -v ms=$(( ${ready_at[$name]} - ${started[$name]} )) 'BEGIN { printf "%s %.2f\n", n, ms / 1000 }' >> "$STATE/ready"
    fi
  done
  [ ${#ready_at[@]} -eq ${#SERVICES[@]} ] && break
  sleep 0.1
done
for s in "${SERVICES[@]}"; do
  name=${s%%:*}
  [ -n "${ready_at[$name]:-}" ] || { echo "$name did not become ready; see $STATE/logs/$name.log"; exit 1; }
done

DASHBOARD_PORT=${TRIALWATCH_DASHBOARD_PORT:-$PORT_BASE}
dashboard_started=$(now_ms)
echo "== dashboard on :$DASHBOARD_PORT"
use_class_archive dashboard
# QUARKUS_PROFILE=local turns on the development sign-in, which signs tokens with the development key read from
# test-support (the dashboard's jar does not contain it; production has no such profile).
QUARKUS_PROFILE=local QUARKUS_HTTP_PORT=$DASHBOARD_PORT QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
  TRIALWATCH_REGISTRY_URL=http://127.0.0.1:$REGISTRY_PORT TRIALWATCH_EVIDENCE_URL=http://127.0.0.1:$EVIDENCE_PORT \
  TRIALWATCH_NOTIFICATION_URL=http://127.0.0.1:$NOTIFICATION_PORT \
  TRIALWATCH_DASHBOARD_DEV_SIGN_IN_PRIVATE_KEY_LOCATION="$ROOT/test-support/src/main/resources/dev-keys/jwt-private.pem" \
  java -Xmx256m $SERVICE_JAVA_OPTS $archive_opts -jar dashboard/target/quarkus-app/quarkus-run.jar \
  > "$STATE/logs/dashboard.log" 2>&1 &
pids+=($!); echo "dashboard $!" >> "$STATE/pids"
for _ in $(seq 1 1200); do
  http_ok "$DASHBOARD_PORT" /q/health/ready && break
  sleep 0.1
done
awk -v ms=$(( $(now_ms) - dashboard_started )) 'BEGIN { printf "dashboard %.2f\n", ms / 1000 }' >> "$STATE/ready"
# and the whole system's: from the first service's launch to the dashboard's ready, what someone running this waits for
awk -v ms=$(( $(now_ms) - system_started )) 'BEGIN { printf "system %.2f\n", ms / 1000 }' >> "$STATE/ready"
curl -fs "http://127.0.0.1:$DASHBOARD_PORT/q/health/ready" > /dev/null || { echo "dashboard did not become ready; see $STATE/logs/dashboard.log"; exit 1; }

TOKEN_CP="test-support/target/test-support-1.0.0-SNAPSHOT.jar:test-support/target/lib/*"
CURATOR_TOKEN=$(java -cp "$TOKEN_CP" org.trialwatch.testbed.DevTokens curator)
SUBSCRIBER_TOKEN=$(java -cp "$TOKEN_CP" org.trialwatch.testbed.DevTokens subscriber team-a)
OPERATOR_TOKEN=$(java -cp "$TOKEN_CP" org.trialwatch.testbed.DevTokens operator)
cat > "$STATE/tokens.env" <<TOKENS
export CURATOR_TOKEN=$CURATOR_TOKEN
export SUBSCRIBER_TOKEN=$SUBSCRIBER_TOKEN
export OPERATOR_TOKEN=$OPERATOR_TOKEN
TOKENS

cat <<INFO

TrialWatch is running (logs in .local/logs/):
  dashboard     http://localhost:$DASHBOARD_PORT/              (sign in with the local development sign-in)
  registry      http://localhost:$REGISTRY_PORT/api/trials        Swagger UI http://localhost:$REGISTRY_PORT/q/swagger-ui
  evidence      http://localhost:$EVIDENCE_PORT/api/summaries     Swagger UI http://localhost:$EVIDENCE_PORT/q/swagger-ui
  notification  http://localhost:$NOTIFICATION_PORT/api/subscriptions Swagger UI http://localhost:$NOTIFICATION_PORT/q/swagger-ui
  Kafka         127.0.0.1:$KAFKA_PORT
  e-mails       logged to .local/logs/notification-service.log (set SMTP_HOST and QUARKUS_MAILER_* to send them)

Development tokens (valid 12 h) are in .local/tokens.env:  source .local/tokens.env
  CURATOR_TOKEN=$CURATOR_TOKEN
  SUBSCRIBER_TOKEN=$SUBSCRIBER_TOKEN
  OPERATOR_TOKEN=$OPERATOR_TOKEN

Press Ctrl-C to stop.
INFO
wait
