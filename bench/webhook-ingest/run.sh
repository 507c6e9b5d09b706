#!/usr/bin/env bash
# bench/webhook-ingest: signed Intercom notifications (contact.user.updated, ~2 KB contact) POSTed at rising rates
# to /webhooks/intercom (signature check, durable inbox insert, 200; processed asynchronously into PostgreSQL),
# compared in the same run, same app, same load with a bare platform-http route that answers 200 without work
# (bench/webhook-ingest/bare.camel.yaml, loaded only here: the stack's limit). Ends by checking that every
# acknowledged notification reached the warehouse (exit 1 on any loss).
#
#   bench/webhook-ingest/run.sh [rates] [step-seconds] [connections] [heap]
#       defaults: 250,500,1000,2000,4000,8000 10 32 512m
#   JAR=path ...   run that jar instead of building this checkout (e.g. a build of main, for before/after)
#   APP_JAVA_OPTS="..."   extra JVM options of the app (e.g. -XX:StartFlightRecording=... to profile it)
#   HUB_ARGS="--inbox.burst-hold=0s ..."   more settings of the hub (split on spaces)
#   BARE_SECONDS=10 ...   length of the bare route's steps (default: step-seconds), for a soak:
#                         BARE_SECONDS=10 bench/webhook-ingest/run.sh 1000 1000   (1,000,000 notifications at 1,000/s)
#   WARMUP_SECONDS=30 ...   each endpoint first gets this long at 500/s, unmeasured (default 30): the JIT compiles the
#                         webhook path's code (Camel, Jackson, JDBC, the processing) for well over the old 3 s warm-up,
#                         and steps measured while it does cost up to a third more CPU per request
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, curl, java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/common.sh

RATES=${1:-250,500,1000,2000,4000,8000}
STEP_SECONDS=${2:-10}
CONNECTIONS=${3:-32}
HEAP=${4:-512m}
APP_PORT=18180
SCHEMA=bench_webhook
SECRET=bench-client-secret
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

JAR=$(hub_jar)

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"

# no pulls: a token (required), an unreachable API, nothing on start-up, every collection off
NO_PULLS+=(--intercom.access-token=x --intercom.base-url=http://127.0.0.1:9)
java -Xmx"$HEAP" ${APP_JAVA_OPTS:-} -jar "$JAR" \
  --server.port=$APP_PORT \
  "${NO_PULLS[@]}" \
  --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
  --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  --webhook.client-secret=$SECRET --webhook.verify-signatures=true \
  --camel.main.routes-include-pattern=file:routes/*.camel.yaml,file:bench/webhook-ingest/bare.camel.yaml ${HUB_ARGS:-} \
  > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null || { tail -50 "$WORK/app.log"; echo "app did not start"; exit 2; }

echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
pg_stats_reset
java -Xmx256m bench/load/IngestLoad.java --base "http://127.0.0.1:$APP_PORT" --secret "$SECRET" \
  --rates "$RATES" --step-seconds "$STEP_SECONDS" --connections "$CONNECTIONS" --out "$WORK" \
  --bare-seconds "${BARE_SECONDS:-$STEP_SECONDS}" --warmup-seconds "${WARMUP_SECONDS:-30}" --app-pid "$APP_PID"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

# zero loss: every acknowledged notification is a processed inbox row and a contacts row
ACKED=$(wc -l < "$WORK/acked-ids.txt")
pg_stats_report "$ACKED"
"${PSQL[@]}" -c "CREATE TABLE ${SCHEMA}_hub.bench_acked (id VARCHAR(64) PRIMARY KEY)"
"${PSQL[@]}" -c "\\copy ${SCHEMA}_hub.bench_acked FROM '$WORK/acked-ids.txt'"
CONTACT_ROWS=$("${PSQL[@]}" -c "SELECT count(*) FROM $SCHEMA.contacts")
INBOX_ROWS=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.webhook_inbox")
UNPROCESSED=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.webhook_inbox WHERE processed_at IS NULL")
MISSING=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.bench_acked a WHERE NOT EXISTS (SELECT 1 FROM $SCHEMA.contacts c WHERE c.id = a.id)")
# processing rate: first received to last processed, from the inbox's own clock
PROCESS=$("${PSQL[@]}" -c "SELECT count(*), round((max(processed_at) - min(received_at)) / 1000.0, 1) FROM ${SCHEMA}_hub.webhook_inbox")

echo
ingest_table
echo
BARE=$(best bare); HOOK=$(best webhook); HOOK100=$(best webhook 100)
printf 'peak acks/s over a step: bare %s/s, webhook %s/s\n' "$(peak bare)" "$(peak webhook)"
printf 'sustained (acks >= 95%% of offered, no errors): bare %s/s, webhook %s/s (webhook with p99 < 100 ms: %s/s)\n' "$BARE" "$HOOK" "$HOOK100"
PEAK_BARE=$(peak bare); PEAK_HOOK=$(peak webhook)
RATIO=$(awk -v a="$PEAK_HOOK" -v b="$PEAK_BARE" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
printf 'ratio webhook/bare of peak acks/s: %s (target >= 0.5); webhook >= 2000/s with p99 < 100 ms: %s\n' "$RATIO" \
  "$([ "${HOOK100:-0}" -ge 2000 ] && echo met || echo NOT met)"
printf 'processing: %s inbox rows, first received to last processed %s s\n' "$(echo "$PROCESS" | cut -d'|' -f1)" "$(echo "$PROCESS" | cut -d'|' -f2)"
printf 'zero loss: acknowledged %d, inbox rows %d (unprocessed %d), contacts rows %d, acknowledged but not in contacts %d\n' \
  "$ACKED" "$INBOX_ROWS" "$UNPROCESSED" "$CONTACT_ROWS" "$MISSING"
grep -E "ERROR|Exception" "$WORK/app.log" | head -5 || true

if [ "$MISSING" -ne 0 ] || [ "$UNPROCESSED" -ne 0 ] || [ "$ACKED" -eq 0 ]; then
  echo "LOSS: $MISSING acknowledged notifications missing from the warehouse, $UNPROCESSED unprocessed"
  exit 1
fi
echo "no loss"
