#!/usr/bin/env bash
# bench/tracking-ingest: Segment track calls (as analytics-java sends them: HTTP Basic with the write key, ~600 bytes)
# POSTed at rising rates to /v1/track (write key, limits, JSON, durable inbox insert, 200 {"success":true}; applied
# to Intercom and written to PostgreSQL asynchronously), compared in the same run, same app, same load with a bare
# platform-http route that answers 200 without work (bench/webhook-ingest/bare.camel.yaml: the stack's limit).
# Intercom is the sandbox in its own process. By default it behaves as a real workspace: the calls are for users it
# knows (its contacts' external_ids, taken in turn), so each is applied (POST /events, 202), at Intercom's documented
# rate limit of a private app, 10,000 requests a minute (1,667 per 10 s): the hub applies what Intercom lets it while
# it acknowledges, and after each step waits until the warehouse (the tracks table) has every call, not for Intercom
# (at 167 requests a second it is minutes behind a burst; the inbox holds the rest). UNLIMITED=1 runs the earlier,
# harsher setup: no rate limit and a new user per call, unknown to Intercom, so each call is applied as fast as the
# hub can (a 404 "User Not Found" and a dead letter each) and that processing competes for the 2 cores with the
# acknowledgements; each step then waits until Intercom has answered every call. Ends by checking that every
# acknowledged call reached the inbox and the warehouse's tracks table (exit 1 on any loss).
#
#   bench/tracking-ingest/run.sh [rates] [step-seconds] [connections] [heap]
#       defaults: 250,500,1000,2000,4000,8000 10 32 512m
#   UNLIMITED=1 ...   the sandbox without a rate limit, every call from a user it does not know (see above)
#   HUB_ARGS="--tracking.batch-size=500 ..."   more settings of the hub (split on spaces)
#   WARMUP_SECONDS=30 ...   each endpoint first gets this long at 500/s, unmeasured (default 30; was 3): the JIT
#                         compiles the tracking path's code for well over a minute, and steps measured while it does
#                         cost up to twice the CPU per call
#   JAR=path ...   run that jar instead of building this checkout (e.g. a build of main, for before/after)
#   APP_JAVA_OPTS="..."   extra JVM options of the app (e.g. -XX:StartFlightRecording=... to profile it)
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, curl, python3, java 17.
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
if [ "${UNLIMITED:-}" = 1 ]; then
  RATE_LIMIT=0; USERS_ARGS=(); BACKLOG_FIELD=inbox_backlog
else
  RATE_LIMIT=1667; USERS_ARGS=(--user-ids "$WORK/user-ids.txt"); BACKLOG_FIELD=warehouse_backlog
fi

"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"

java -Xmx512m -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts 100 --rate-limit "$RATE_LIMIT" > "$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done
# the sandbox's users (role user, with an external_id): the userIds of the calls unless UNLIMITED=1
curl -sf -H "Authorization: Bearer sandbox-token" "http://127.0.0.1:$SANDBOX_PORT/contacts?per_page=150" \
  | python3 -c 'import json, sys; [print(c["external_id"]) for c in json.load(sys.stdin)["data"] if c.get("role") == "user" and c.get("external_id")]' \
  > "$WORK/user-ids.txt"

java -Xmx"$HEAP" ${APP_JAVA_OPTS:-} -jar "$JAR" \
  --server.port=$APP_PORT \
  --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
  "${NO_PULLS[@]}" \
  --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
  --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  --tracking.write-keys=$WRITE_KEY --analytics.enabled=false --crm.enabled=false ${HUB_ARGS:-} \
  --camel.main.routes-include-pattern=file:routes/*.camel.yaml,file:bench/webhook-ingest/bare.camel.yaml \
  > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null || { tail -50 "$WORK/app.log"; echo "app did not start"; exit 2; }

[ "${UNLIMITED:-}" = 1 ] && echo "sandbox: no rate limit, a new user per call (UNLIMITED=1)" \
  || echo "sandbox: $RATE_LIMIT requests per 10 s, calls for its $(wc -l < "$WORK/user-ids.txt") users"
echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
pg_stats_reset
java -Xmx256m bench/load/IngestLoad.java --kind tracking --base "http://127.0.0.1:$APP_PORT" --write-key "$WRITE_KEY" \
  --rates "$RATES" --step-seconds "$STEP_SECONDS" --connections "$CONNECTIONS" --app-pid "$APP_PID" \
  --warmup-seconds "${WARMUP_SECONDS:-30}" \
  --backlog-field "$BACKLOG_FIELD" "${USERS_ARGS[@]}" --out "$WORK"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

# zero loss: every acknowledged call is an inbox row and a tracks row (keyed by messageId)
ACKED=$(wc -l < "$WORK/acked-ids.txt")
pg_stats_report "$ACKED"
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
