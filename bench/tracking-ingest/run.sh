#!/usr/bin/env bash
# bench/tracking-ingest: Segment track calls (as analytics-java sends them: HTTP Basic with the write key, ~600 bytes)
# POSTed at rising rates to /v1/track (write key, limits, JSON, durable inbox insert, 200 {"success":true}; applied
# to Intercom and written to PostgreSQL asynchronously), compared in the same run, same app, same load with a bare
# platform-http route that answers 200 without work (bench/webhook-ingest/bare.camel.yaml: the stack's limit).
# Intercom is the sandbox in its own process, without a rate limit; the bench's users are not in it, so each call
# is applied as Intercom answers it (404 "User Not Found": a dead letter), which is the processing this measures
# draining. Ends by checking that every acknowledged call reached the inbox and the warehouse's tracks table (exit 1
# on any loss).
#
#   bench/tracking-ingest/run.sh [rates] [step-seconds] [connections] [heap]
#       defaults: 250,500,1000,2000,4000,8000 10 32 512m
#   JAR=path ...   run that jar instead of building this checkout (e.g. a build of main, for before/after)
#   APP_JAVA_OPTS="..."   extra JVM options of the app (e.g. -XX:StartFlightRecording=... to profile it)
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, curl, java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/common.sh

RATES=${1:-250,500,1000,2000,4000,8000}
STEP_SECONDS=${2:-10}
CONNECTIONS=${3:-32}
HEAP=${4:-512m}
APP_PORT=18181
SANDBOX_PORT=18191
SCHEMA=bench_tracking
WRITE_KEY=bench-write-key-0123456789
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
APP_PID=
SANDBOX_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null || true
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

JAR=$(hub_jar)

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"

java -Xmx512m -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts 100 --rate-limit 0 > "$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done

java -Xmx"$HEAP" ${APP_JAVA_OPTS:-} -jar "$JAR" \
  --server.port=$APP_PORT \
  --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
  "${NO_PULLS[@]}" \
  --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
  --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  --tracking.write-keys=$WRITE_KEY --analytics.enabled=false --crm.enabled=false \
  --camel.main.routes-include-pattern=file:routes/*.camel.yaml,file:bench/webhook-ingest/bare.camel.yaml \
  > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null || { tail -50 "$WORK/app.log"; echo "app did not start"; exit 2; }

echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx256m bench/load/IngestLoad.java --kind tracking --base "http://127.0.0.1:$APP_PORT" --write-key "$WRITE_KEY" \
  --rates "$RATES" --step-seconds "$STEP_SECONDS" --connections "$CONNECTIONS" --out "$WORK"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

# zero loss: every acknowledged call is an inbox row and a tracks row (keyed by messageId)
ACKED=$(wc -l < "$WORK/acked-ids.txt")
"${PSQL[@]}" -c "CREATE TABLE ${SCHEMA}_hub.bench_acked (id VARCHAR(64) PRIMARY KEY)"
sed 's/^/bench-/' "$WORK/acked-ids.txt" > "$WORK/acked-message-ids.txt"
"${PSQL[@]}" -c "\\copy ${SCHEMA}_hub.bench_acked FROM '$WORK/acked-message-ids.txt'"
INBOX_ROWS=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.tracking_inbox")
NOT_IN_INBOX=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.bench_acked a WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}_hub.tracking_inbox i WHERE i.message_id = a.id)")
for _ in $(seq 1 120); do
  NOT_IN_TRACKS=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.bench_acked a WHERE NOT EXISTS (SELECT 1 FROM $SCHEMA.tracks t WHERE t.id = a.id)")
  [ "$NOT_IN_TRACKS" = 0 ] && break; sleep 1
done

echo
ingest_table
echo
BARE=$(best bare); TRACK=$(best tracking); TRACK100=$(best tracking 100)
printf 'peak acks/s over a step: bare %s/s, tracking %s/s\n' "$(peak bare)" "$(peak tracking)"
printf 'sustained (acks >= 95%% of offered, no errors): bare %s/s, tracking %s/s (tracking with p99 < 100 ms: %s/s)\n' "$BARE" "$TRACK" "$TRACK100"
awk -v b="$BARE" -v w="$TRACK100" 'BEGIN {printf "ratio tracking (p99 < 100 ms) / bare: %.2f (target >= 0.5, and >= 2,000/s)\n", (b > 0 ? w / b : 0)}'
printf 'acknowledged calls: %d; inbox rows: %d; acknowledged but not in the inbox: %d; not in the tracks table: %d\n' \
  "$ACKED" "$INBOX_ROWS" "$NOT_IN_INBOX" "$NOT_IN_TRACKS"
if [ "$NOT_IN_INBOX" != 0 ] || [ "$NOT_IN_TRACKS" != 0 ]; then echo "LOSS"; exit 1; fi
