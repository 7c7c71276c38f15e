#!/usr/bin/env bash
# Runs the three services, configured the way the prod overlay configures them, against a local Kafka broker secured
# the way the Kafka resource secures the cluster: a TLS listener with SCRAM-SHA-512, `simple` authorization, and the
# users and ACLs of the rendered KafkaUsers. It shows, without a cluster, that the services' Kafka settings from
# environment variables work (every producer and consumer, including the registry's outbox producer), that the ACLs
# are enough for a status change to travel registry -> trial-events -> evidence -> evidence-events -> notification,
# and that a client without credentials, or a user outside its ACLs, is refused.
#
# Not part of CI (it starts a broker and three JVMs). Needs the jars: ./mvnw -B package -DskipTests; openssl, curl;
# a PostgreSQL on 127.0.0.1:5432 with trust auth (or TRIALWATCH_TEST_JDBC_URL's server) for throwaway databases.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/trialwatch-kafka-auth.XXXXXX)
KAFKA_CP="$ROOT/kafka-launcher/target/lib/*"
TOKEN_CP="$ROOT/test-support/target/test-support-1.0.0-SNAPSHOT.jar:$ROOT/test-support/target/lib/*"
PSQL=(psql -h 127.0.0.1 -p 5432 -U "${TRIALWATCH_TEST_DB_USER:-postgres}" -d postgres -qAt)
pids=()
dbs=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  for db in "${dbs[@]}"; do "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1 || true; done
  echo "logs and certificates: $WORK"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
passed=0 failed=0
verdict() { # what, 0|1
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

# --- what the prod overlay says: users with their ACLs, topics, and each service's Kafka environment
# (a rendered file given as $1 replaces the prod overlay: to see this script fail on a broken ACL, say)
if [ -n "${1:-}" ]; then cp "$1" "$WORK/prod.yaml"; else "${KUBECTL:-kubectl}" kustomize deploy/k8s/overlays/prod > "$WORK/prod.yaml"; fi
python3 - "$WORK" << 'EOF'
import json, sys, yaml
work = sys.argv[1]
docs = [d for d in yaml.safe_load_all(open(f"{work}/prod.yaml")) if d]
out = {"users": {}, "topics": {}, "env": {}}
for d in docs:
    if d["kind"] == "KafkaUser":
        out["users"][d["metadata"]["name"]] = d["spec"]["authorization"]["acls"]
    if d["kind"] == "KafkaTopic":
        out["topics"][d["metadata"]["name"]] = d["spec"]["partitions"]
    if d["kind"] == "Deployment":
        env = d["spec"]["template"]["spec"]["containers"][0]["env"]
        out["env"][d["metadata"]["name"]] = {e["name"]: e.get("value") for e in env if e["name"].startswith("KAFKA_")}
json.dump(out, open(f"{work}/prod.json", "w"))
EOF

# --- a CA and a broker certificate for localhost, as Strimzi's cluster CA would issue
cd "$WORK"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=trialwatch-cluster-ca 2> /dev/null
openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr -subj /CN=localhost 2> /dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
openssl x509 -req -in broker.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out broker.crt -days 2 -extfile san.ext 2> /dev/null
openssl pkcs12 -export -in broker.crt -inkey broker.key -certfile ca.crt -out broker.p12 -passout pass:brokerkey
cd "$ROOT"

BROKER=$(free_port) CONTROLLER=$(free_port) INTERNAL=$(free_port)
cat > "$WORK/server.properties" << EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER
listeners=TLS://127.0.0.1:$BROKER,CONTROLLER://127.0.0.1:$CONTROLLER,INTERNAL://127.0.0.1:$INTERNAL
advertised.listeners=TLS://localhost:$BROKER,INTERNAL://127.0.0.1:$INTERNAL
listener.security.protocol.map=TLS:SASL_SSL,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.tls.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.tls.ssl.keystore.type=PKCS12
listener.name.tls.ssl.keystore.location=$WORK/broker.p12
listener.name.tls.ssl.keystore.password=brokerkey
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:ANONYMOUS
log.dirs=$WORK/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF

# SCRAM credentials as the User Operator creates them (random passwords), written like its Secrets' sasl.jaas.config
scram_args=()
for user in $(python3 -c "import json; print(' '.join(json.load(open('$WORK/prod.json'))['users']))"); do
  pw=$(openssl rand -hex 16)
  echo "$user $pw" >> "$WORK/passwords"
  scram_args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$pw]")
done
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" kafka.tools.StorageTool random-uuid)" \
  -c "$WORK/server.properties" "${scram_args[@]}" > "$WORK/format.log" 2>&1
java -Xmx512m -cp "$KAFKA_CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.Kafka "$WORK/server.properties" \
  > "$WORK/kafka.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do (echo > /dev/tcp/127.0.0.1/"$INTERNAL") 2> /dev/null && break; sleep 0.2; done
(echo > /dev/tcp/127.0.0.1/"$INTERNAL") 2> /dev/null || { echo "the broker did not start:"; grep -m3 ERROR "$WORK/kafka.log"; exit 1; }

admin=(--bootstrap-server "127.0.0.1:$INTERNAL")
python3 -c "import json; [print(t, n) for t, n in json.load(open('$WORK/prod.json'))['topics'].items()]" | \
while read -r topic partitions; do
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" org.apache.kafka.tools.TopicCommand "${admin[@]}" --create --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 > /dev/null
done
python3 - "$WORK" << 'EOF' > "$WORK/acls.txt"
import json, sys
for user, acls in json.load(open(f"{sys.argv[1]}/prod.json"))["users"].items():
    for a in acls:
        r = a["resource"]
        flag = {"topic": "--topic", "group": "--group"}[r["type"]]
        for op in a["operations"]:
            print(user, flag, r["name"], op)
EOF
while read -r user flag resource op; do
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" org.apache.kafka.tools.AclCommand "${admin[@]}" --add --allow-principal "User:$user" \
    --operation "$op" "$flag" "$resource" > /dev/null
done < "$WORK/acls.txt"
echo "broker: SASL_SSL/SCRAM-SHA-512 on localhost:$BROKER, $(wc -l < "$WORK/acls.txt") ACL entries from the KafkaUsers"

# --- the services, with the Deployments' Kafka environment (bootstrap and CA path adjusted to this machine)
start_service() { # name port db
  local name=$1 port=$2 db=$3 pw
  pw=$(awk -v u="$name" '$1 == u {print $2}' "$WORK/passwords")
  "${PSQL[@]}" -c "CREATE DATABASE $db" > /dev/null
  dbs+=("$db")
  env -i PATH="$PATH" HOME="$HOME" $(python3 -c "
import json
env = json.load(open('$WORK/prod.json'))['env']['$name']
env['KAFKA_BOOTSTRAP_SERVERS'] = 'localhost:$BROKER'
env['KAFKA_SSL_TRUSTSTORE_LOCATION'] = '$WORK/ca.crt'
print(' '.join(f'{k}={v}' for k, v in env.items() if v is not None))") \
    KAFKA_SASL_JAAS_CONFIG="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$name\" password=\"$pw\";" \
    QUARKUS_HTTP_PORT="$port" QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$db" \
    QUARKUS_DATASOURCE_USERNAME="${TRIALWATCH_TEST_DB_USER:-postgres}" QUARKUS_DATASOURCE_PASSWORD="" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$ROOT/test-support/src/main/resources/dev-keys/jwt-public.pem" \
    MP_JWT_VERIFY_ISSUER=https://trialwatch.local/dev QUARKUS_MAILER_MOCK=true \
    TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS=127.0.0.1 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    java -Xmx256m -jar "$name/target/quarkus-app/quarkus-run.jar" > "$WORK/$name.log" 2>&1 &
  pids+=($!)
}
suffix=$(openssl rand -hex 3)
REG=$(free_port) EVI=$(free_port) NOT=$(free_port)
start_service trial-registry-service "$REG" "k8s_try_${suffix}_registry"
start_service evidence-service "$EVI" "k8s_try_${suffix}_evidence"
start_service notification-service "$NOT" "k8s_try_${suffix}_notification"
for port in $REG $EVI $NOT; do
  for _ in $(seq 1 600); do curl -fs "127.0.0.1:$port/q/health/ready" > /dev/null 2>&1 && break; sleep 0.5; done
done
for s in "trial-registry-service $REG" "evidence-service $EVI" "notification-service $NOT"; do
  set -- $s
  curl -fs "127.0.0.1:$2/q/health/ready" > /dev/null 2>&1; verdict "$1 ready (database and Kafka over SASL_SSL/SCRAM)" $?
done

# --- a status change travels through both consumers
TOKEN=$(java -cp "$TOKEN_CP" org.trialwatch.testbed.DevTokens curator)
etag=$(curl -si "127.0.0.1:$REG/api/trials/NCT05379985" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "127.0.0.1:$REG/api/trials/NCT05379985/status-changes" \
  -H "Authorization: Bearer $TOKEN" -H "If-Match: $etag" -H 'Content-Type: application/json' \
  -d '{"newStatus":"TERMINATED","effectiveDate":"2026-11-25","reason":"Sponsor decision"}')
verdict "the registry accepts a status change (HTTP $status)" "$(case $status in 2??) echo 0;; *) echo 1;; esac)"
lag_zero() { # group
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "${admin[@]}" --describe \
    --group "$1" 2> /dev/null | awk 'NR > 1 && $2 != "" && $6 ~ /^[0-9]+$/ {lag += $6; n++} END {exit !(n > 0 && lag == 0)}'
}
end_offset() { # topic
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" org.apache.kafka.tools.GetOffsetShell "${admin[@]}" --topic "$1" 2> /dev/null \
    | awk -F: '{s += $3} END {print s + 0}'
}
deadline=$((SECONDS + 120))
while [ $SECONDS -lt $deadline ]; do
  [ "$(end_offset trial-events)" -gt 0 ] && [ "$(end_offset evidence-events)" -gt 0 ] \
    && lag_zero evidence-service && lag_zero notification-service && break
  sleep 1
done
verdict "registry published to trial-events ($(end_offset trial-events) records)" "$([ "$(end_offset trial-events)" -gt 0 ]; echo $?)"
verdict "evidence consumed trial-events and published evidence-events ($(end_offset evidence-events) records)" \
  "$([ "$(end_offset evidence-events)" -gt 0 ] && lag_zero evidence-service; echo $?)"
lag_zero notification-service; verdict "notification consumed both topics (group lag 0)" $?

# --- and the broker refuses what the ACLs do not grant
client() { # user password -> client properties file
  printf 'security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nssl.truststore.type=PEM\nssl.truststore.location=%s\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' \
    "$WORK/ca.crt" "$1" "$2" > "$WORK/$1.properties"
  echo "$WORK/$1.properties"
}
produce() { # properties topic -> exit code of the console producer
  echo "k:{\"forged\":true}" | timeout 60 java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP" org.apache.kafka.tools.ConsoleProducer \
    --bootstrap-server "localhost:$BROKER" --producer.config "$1" --topic "$2" --property parse.key=true \
    --property key.separator=: --producer-property max.block.ms=10000 --producer-property delivery.timeout.ms=15000 \
    --producer-property request.timeout.ms=10000 > "$WORK/produce.log" 2>&1
}
before=$(end_offset trial-events)
produce "$(client notification-service "$(awk '$1 == "notification-service" {print $2}' "$WORK/passwords")")" trial-events || true
verdict "notification-service's user may not write trial-events" "$([ "$(end_offset trial-events)" = "$before" ] && grep -q -i 'authoriz' "$WORK/produce.log"; echo $?)"
produce "$(client intruder not-a-password)" trial-events || true
verdict "an unknown user is refused" "$([ "$(end_offset trial-events)" = "$before" ] && grep -q -i 'authentication' "$WORK/produce.log"; echo $?)"
printf 'security.protocol=PLAINTEXT\n' > "$WORK/plain.properties"
produce "$WORK/plain.properties" trial-events || true
verdict "a plaintext client without credentials writes nothing" "$([ "$(end_offset trial-events)" = "$before" ]; echo $?)"

echo "try-kafka-auth: $passed passed, $failed failed"
[ "$failed" = 0 ]
