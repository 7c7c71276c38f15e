#!/usr/bin/env bash
# Registry read latency with 100,000 tracked trials. Needs psql and a PostgreSQL server (PGHOST/PGUSER, default
# 127.0.0.1 / postgres); starts its own broker (port 19192) and registry (port 18181), and drops its database after.
# The synthetic trials are inserted with SQL (ids NCT97xxxxxx); the REST write path is measured by bench.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -qc 'DROP DATABASE IF EXISTS bench_100k WITH (FORCE)' -qc 'CREATE DATABASE bench_100k'
rm -rf /tmp/r100 && mkdir -p /tmp/r100
java -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar kafka-launcher/target/kafka-launcher.jar 19192 /tmp/r100/kafka > /tmp/r100/kafka.log 2>&1 &
KPID=$!
for i in $(seq 1 100); do grep -q KAFKA_READY /tmp/r100/kafka.log && break; sleep 0.2; done
KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19192 QUARKUS_HTTP_PORT=18181 QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://${PGHOST:-127.0.0.1}:5432/bench_100k" QUARKUS_DATASOURCE_USERNAME=${PGUSER:-postgres} QUARKUS_LOG_CONSOLE_JSON_ENABLED=false MP_JWT_VERIFY_PUBLICKEY_LOCATION=$PWD/test-support/src/main/resources/dev-keys/jwt-public.pem java -Xmx256m -jar trial-registry-service/target/quarkus-app/quarkus-run.jar > /tmp/r100/reg.log 2>&1 &
RPID=$!
for i in $(seq 1 300); do curl -fs localhost:18181/q/health/ready >/dev/null 2>&1 && break; sleep 0.2; done
# 100,000 synthetic trials straight into the table (the REST path is measured by bench.sh); ids NCT97000000..
time psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -d bench_100k -qc "
INSERT INTO trial (nct_id, brief_title, tumour_types, mechanism, therapy_class, phases, overall_status, created_at, updated_at)
SELECT 'NCT97' || lpad(g::text, 6, '0'), 'Synthetic benchmark trial ' || g,
       CASE WHEN g % 2 = 0 THEN '[\"PC\"]'::jsonb ELSE '[\"BTC\"]'::jsonb END,
       (ARRAY['KRAS G12D inhibitor','PD-1 blockade','FGFR2 fusion inhibitor','IDH1 inhibitor','HER2 antibody'])[1 + g % 5],
       (ARRAY['targeted','immunotherapy','chemotherapy'])[1 + g % 3],
       (ARRAY['[\"PHASE1\"]','[\"PHASE2\"]','[\"PHASE3\"]'])[1 + g % 3]::jsonb,
       (ARRAY['RECRUITING','ACTIVE_NOT_RECRUITING','COMPLETED','TERMINATED', NULL])[1 + g % 5],
       now(), now()
FROM generate_series(1, 100000) g" -c "ANALYZE trial"
q() { # label url
  for i in 1 2 3; do curl -s -o /dev/null "$2"; done
  curl -s -o /dev/null -w "%{time_total}\n" "$2" > /dev/null
  t=$(for i in $(seq 1 20); do curl -s -o /dev/null -w "%{time_total}\n" "$2"; done | sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms  max %.1f ms", a[int(NR/2)]*1000, a[NR]*1000}')
  printf "%-60s %s\n" "$1" "$t"
}
echo "== 100,014 trials: GET latency over 20 calls each (after 3 warm-ups)"
q "list, first page of 50" "localhost:18181/api/trials"
q "tumourType=PC&status=RECRUITING" "localhost:18181/api/trials?tumourType=PC&status=RECRUITING"
q "target=KRAS&phase=PHASE2" "localhost:18181/api/trials?target=KRAS&phase=PHASE2"
q "therapyClass=immunotherapy&limit=200" "localhost:18181/api/trials?therapyClass=immunotherapy&limit=200"
q "q=benchmark trial 4242 (free text)" "localhost:18181/api/trials?q=trial%2099999"
q "status=NOT_VERIFIED" "localhost:18181/api/trials?status=NOT_VERIFIED"
CUR=$(curl -s 'localhost:18181/api/trials?limit=200&tumourType=PC' | jq -r .next)
q "page deep via cursor" "localhost:18181/api/trials?limit=200&tumourType=PC&cursor=$CUR"
q "one trial" "localhost:18181/api/trials/NCT97050000"
kill $RPID $KPID; wait $RPID $KPID 2>/dev/null || true
psql -h "${PGHOST:-127.0.0.1}" -U "${PGUSER:-postgres}" -qc 'DROP DATABASE IF EXISTS bench_100k WITH (FORCE)'
