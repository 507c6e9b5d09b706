#!/usr/bin/env bash
# bench/pull-to-warehouse: 200,000 contacts from the sandbox (no rate limit) into PostgreSQL, compared in the same
# run with PostgreSQL COPY of the same rows into a table of the same shape (the physical limit of this machine).
#
#   bench/pull-to-warehouse/run.sh [contacts] [heap]       defaults: 200000 256m
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, jstat, curl.
set -euo pipefail
cd "$(dirname "$0")/../.."

CONTACTS=${1:-200000}
HEAP=${2:-256m}
SANDBOX_PORT=18089
APP_PORT=18080
SCHEMA=bench_pull
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

./mvnw -q -B -DskipTests package
JAR=$(ls target/intercom-hub-*.jar | head -1)

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"

# the sandbox in its own process, so the app's heap is the app's alone
java -Xmx1g -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts "$CONTACTS" --rate-limit 0 > "$WORK/sandbox.log" 2>&1 &
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done

# only contacts into the warehouse (bench/fanout measures the other branches), notes off (one call per contact would measure the sandbox's request rate, not the pipeline)
ONLY_CONTACTS=("--sync.collections.contacts.cron=0 0 3 1 1 ?")   # runs only when the script asks
for c in conversations deleted_conversations tickets activity_logs companies segments tags admins teams data_attributes; do
  ONLY_CONTACTS+=("--sync.collections.$c.enabled=false")
done
java -Xmx"$HEAP" -jar "$JAR" \
  --server.port=$APP_PORT \
  --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
  --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
  --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  --sync.run-on-startup=false --sync.contact-notes=false "${ONLY_CONTACTS[@]}" \
  --analytics.enabled=false --crm.enabled=false > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done

# peak heap: jstat samples of used heap (survivors + eden + old), every 200 ms
jstat -gc $APP_PID 200 > "$WORK/jstat.log" &
JSTAT_PID=$!

START=$(date +%s.%N)
curl -sf -X POST "http://127.0.0.1:$APP_PORT/sync/contacts" >/dev/null
sleep 1
while curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | grep -A2 '"contacts"' | grep -q '"running"'; do sleep 0.2; done
END=$(date +%s.%N)
kill $JSTAT_PID 2>/dev/null || true
STATE=$(curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | tr -d '\n ' | grep -o '"contacts":{"collection":"contacts","state":"[a-z]*"' || true)

ROWS=$("${PSQL[@]}" -c "SELECT count(*) FROM $SCHEMA.contacts")
PULL_SECONDS=$(echo "$END - $START" | bc -l)
PULL_RATE=$(echo "$ROWS / $PULL_SECONDS" | bc -l)
PEAK_HEAP_MB=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {printf "%.0f", m/1024}' "$WORK/jstat.log")

# baseline: COPY of the same rows into a table of the same shape
"${PSQL[@]}" -c "\\copy $SCHEMA.contacts TO '$WORK/contacts.csv' WITH (FORMAT csv)"
"${PSQL[@]}" -c "CREATE TABLE $SCHEMA.contacts_copy (LIKE $SCHEMA.contacts INCLUDING ALL)"
COPY_START=$(date +%s.%N)
"${PSQL[@]}" -c "\\copy $SCHEMA.contacts_copy FROM '$WORK/contacts.csv' WITH (FORMAT csv)"
COPY_END=$(date +%s.%N)
COPY_SECONDS=$(echo "$COPY_END - $COPY_START" | bc -l)
COPY_RATE=$(echo "$ROWS / $COPY_SECONDS" | bc -l)

printf 'run state:        %s\n' "$STATE"
printf 'rows:             %d (sandbox: %d contacts)\n' "$ROWS" "$CONTACTS"
printf 'pull:             %.1f s, %.0f records/s (app heap -Xmx%s, peak used %s MB)\n' "$PULL_SECONDS" "$PULL_RATE" "$HEAP" "$PEAK_HEAP_MB"
printf 'COPY baseline:    %.1f s, %.0f records/s\n' "$COPY_SECONDS" "$COPY_RATE"
printf 'ratio pull/COPY:  %.2f (target >= 0.3)\n' "$(echo "$PULL_RATE / $COPY_RATE" | bc -l)"
grep -E "contacts: done" "$WORK/app.log" | sed 's/^.*PullRuns *: /app log:          /' || true

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"
