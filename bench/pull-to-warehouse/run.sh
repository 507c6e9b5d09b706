#!/usr/bin/env bash
# bench/pull-to-warehouse: contacts from the sandbox (no rate limit) into the warehouse, compared in the same run with
# the database's bulk load (PostgreSQL COPY, MariaDB LOAD DATA LOCAL INFILE) of every row the pull wrote (contacts and
# every child table) into tables of the same shape: the physical limit of this machine.
#
#   bench/pull-to-warehouse/run.sh [contacts] [heap] [postgres|mariadb]     defaults: 200000 256m postgres
#   SKIP_BUILD=1 ...   reuse target/intercom-hub-*.jar;  JAR=path ...  run that jar (e.g. an earlier version)
#   APP_JAVA_OPTS=...  extra JVM options for the app, e.g. -XX:StartFlightRecording=filename=/tmp/pull.jfr
#   SANDBOX_JAVA_OPTS=...  the same for the sandbox's process
#   ROUTES=/tmp/old-routes   the route files the app reads (default routes/ of this tree): a build of another commit
#                      needs that commit's (git archive <rev> routes | tar -x -C /tmp/old-routes-parent)
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth) and psql, or MariaDB on
# 127.0.0.1:3306 (root, no password, local_infile ON) and the mysql client; jstat, curl, bc.
set -euo pipefail
cd "$(dirname "$0")/../.."

CONTACTS=${1:-200000}
HEAP=${2:-256m}
DB=${3:-postgres}
SANDBOX_PORT=18089
APP_PORT=18080
SCHEMA=bench_pull
COPY_SCHEMA=bench_pull_copy
WORK=$(mktemp -d)
chmod 777 "$WORK"   # MariaDB's server process writes its SELECT .. INTO OUTFILE files here
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
MYSQL=(mysql -h 127.0.0.1 -u root --local-infile=1 -B -N test)
sql() { if [ "$DB" = mariadb ]; then "${MYSQL[@]}" -e "$1"; else "${PSQL[@]}" -c "$1"; fi; }
case "$DB" in
  postgres) WAREHOUSE=(--warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres) ;;
  mariadb)  WAREHOUSE=(--warehouse.url=jdbc:mariadb://127.0.0.1:3306/test --warehouse.user=root) ;;
  *) echo "unknown database $DB (postgres|mariadb)" >&2; exit 2 ;;
esac
drop_schemas() {
  for s in $SCHEMA ${SCHEMA}_hub $COPY_SCHEMA; do
    if [ "$DB" = mariadb ]; then sql "DROP DATABASE IF EXISTS $s"; else sql "DROP SCHEMA IF EXISTS $s CASCADE" 2>/dev/null; fi
  done
}

if [ -z "${JAR:-}" ]; then
  [ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -q -B -DskipTests package
  JAR=$(ls target/intercom-hub-*.jar | head -1)
fi

[ "${KEEP:-}" = 1 ] || drop_schemas

# the sandbox in its own process, so the app's heap is the app's alone
java -Xmx1g ${SANDBOX_JAVA_OPTS:-} -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts "$CONTACTS" --rate-limit 0 > "$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done

# only contacts into the warehouse (bench/fanout measures the other branches), notes off (one call per contact would measure the sandbox's request rate, not the pipeline)
ONLY_CONTACTS=("--sync.collections.contacts.cron=0 0 3 1 1 ?")   # runs only when the script asks
for c in conversations deleted_conversations tickets activity_logs companies segments tags admins teams data_attributes; do
  ONLY_CONTACTS+=("--sync.collections.$c.enabled=false")
done
java -Xmx"$HEAP" ${APP_JAVA_OPTS:-} -jar "$JAR" \
  --server.port=$APP_PORT \
  --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
  "${WAREHOUSE[@]}" --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  --sync.run-on-startup=false --sync.contact-notes=false "${ONLY_CONTACTS[@]}" \
  --analytics.enabled=false --crm.enabled=false \
  "--camel.main.routes-include-pattern=file:${ROUTES:-routes}/*.camel.yaml" > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done

# peak heap: jstat samples of used heap (survivors + eden + old), every 200 ms
jstat -gc $APP_PID 200 > "$WORK/jstat.log" &
JSTAT_PID=$!

# CPU seconds (user + system) of processes, from /proc: the pull's cost, which the machine's other load moves much
# less than its rate. The database server is every process of it, and what its postmaster's ended children (backends,
# autovacuum workers) used: fields 16-17, so a process that ends between the two readings still counts.
cpu_seconds() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t / $(getconf CLK_TCK)" | bc -l; }
db_pids() { if [ "$DB" = mariadb ]; then pgrep -x mariadbd; else pgrep -x postgres; fi; }
CPU_START=($(cpu_seconds $APP_PID) $(cpu_seconds $SANDBOX_PID) $(cpu_seconds $(db_pids)))

START=$(date +%s.%N)
curl -sf -X POST "http://127.0.0.1:$APP_PORT/sync/contacts" >/dev/null
# the end of the run from the app's log, not by asking the app every 0.2 s: those requests cost the app CPU (and
# JIT compilations of its web stack) during the very run they time
while ! grep -qE "contacts: (done in|run failed)" "$WORK/app.log"; do
  kill -0 $APP_PID 2>/dev/null || { echo "the app stopped during the pull; its log: $WORK/app.log" >&2; tail -20 "$WORK/app.log" >&2; exit 1; }
  sleep 0.1
done
END=$(date +%s.%N)
CPU_END=($(cpu_seconds $APP_PID) $(cpu_seconds $SANDBOX_PID) $(cpu_seconds $(db_pids)))
kill $JSTAT_PID 2>/dev/null || true
STATE=$(curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | tr -d '\n ' | grep -o '"contacts":{"collection":"contacts","state":"[a-z]*"' || true)
kill $APP_PID 2>/dev/null || true   # the baseline runs alone
wait $APP_PID 2>/dev/null || true

ROWS=$(sql "SELECT count(*) FROM $SCHEMA.contacts")
PULL_SECONDS=$(echo "$END - $START" | bc -l)
PULL_RATE=$(echo "$ROWS / $PULL_SECONDS" | bc -l)
PEAK_HEAP_MB=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {printf "%.0f", m/1024}' "$WORK/jstat.log")

# baseline: the bulk load of every row of every table the pull wrote, into empty tables of the same shape
# (same columns, keys and indexes), all in one client session
if [ "$DB" = mariadb ]; then
  TABLES=$(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = '$SCHEMA' AND table_type = 'BASE TABLE' ORDER BY 1")
  sql "CREATE DATABASE $COPY_SCHEMA"
  LOAD=""
  for t in $TABLES; do
    sql "SELECT * FROM $SCHEMA.\`$t\` INTO OUTFILE '$WORK/$t.tsv'"
    sql "CREATE TABLE $COPY_SCHEMA.\`$t\` LIKE $SCHEMA.\`$t\`"
    LOAD+="LOAD DATA LOCAL INFILE '$WORK/$t.tsv' INTO TABLE $COPY_SCHEMA.\`$t\`; "
  done
  COPY_START=$(date +%s.%N)
  "${MYSQL[@]}" -e "$LOAD"
  COPY_END=$(date +%s.%N)
  BASELINE="LOAD DATA"
else
  TABLES=$(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = '$SCHEMA' AND table_type = 'BASE TABLE' ORDER BY 1")
  sql "CREATE SCHEMA $COPY_SCHEMA"
  LOAD=""
  for t in $TABLES; do
    sql "\\copy $SCHEMA.\"$t\" TO '$WORK/$t.csv' WITH (FORMAT csv)"
    sql "CREATE TABLE $COPY_SCHEMA.\"$t\" (LIKE $SCHEMA.\"$t\" INCLUDING ALL)"
    LOAD+="\\copy $COPY_SCHEMA.\"$t\" FROM '$WORK/$t.csv' WITH (FORMAT csv)"$'\n'
  done
  # the pull's dirty pages flushed and its tables' autovacuum done first, so that the baseline does not pay for the
  # pull (it did: runs whose pull was faster had a faster COPY too)
  sql "VACUUM ANALYZE $(for t in $TABLES; do printf '%s.\"%s\", ' "$SCHEMA" "$t"; done | sed 's/, $//')" >/dev/null
  sql "CHECKPOINT" >/dev/null
  COPY_START=$(date +%s.%N)
  printf '%s' "$LOAD" | "${PSQL[@]}"
  COPY_END=$(date +%s.%N)
  BASELINE="COPY"
fi
COPY_SECONDS=$(echo "$COPY_END - $COPY_START" | bc -l)
COPY_RATE=$(echo "$ROWS / $COPY_SECONDS" | bc -l)

printf 'database:         %s\n' "$DB"
printf 'run state:        %s\n' "$STATE"
printf 'rows:             %d contacts (sandbox: %d contacts); every table the pull wrote (empty ones not listed):\n' "$ROWS" "$CONTACTS"
ALL_ROWS=0
for t in $TABLES; do
  n=$(sql "SELECT count(*) FROM $SCHEMA.$t"); c=$(sql "SELECT count(*) FROM $COPY_SCHEMA.$t")
  [ "$n" = "$c" ] || { echo "copy of $t incomplete" >&2; exit 1; }
  ALL_ROWS=$((ALL_ROWS + n))
  [ "$n" = 0 ] && continue
  printf '                  %-22s %9d rows, %9d in the %s copy\n' "$t" "$n" "$c" "$BASELINE"
done
printf 'pull:             %.1f s, %.0f contacts/s (app heap -Xmx%s, peak used %s MB)\n' "$PULL_SECONDS" "$PULL_RATE" "$HEAP" "$PEAK_HEAP_MB"
ms_per_contact() { echo "(${CPU_END[$1]} - ${CPU_START[$1]}) * 1000 / $ROWS" | bc -l; }
printf 'pull CPU:         app %.3f, sandbox %.3f, database %.3f ms a contact\n' "$(ms_per_contact 0)" "$(ms_per_contact 1)" "$(ms_per_contact 2)"
printf '%-17s %.1f s, %.0f contacts/s (%d rows in all)\n' "$BASELINE baseline:" "$COPY_SECONDS" "$COPY_RATE" "$ALL_ROWS"
printf 'ratio pull/%s: %.3f (target >= 0.3)\n' "$BASELINE" "$(echo "$PULL_RATE / $COPY_RATE" | bc -l)"
grep -E "contacts: done" "$WORK/app.log" | sed 's/^.*PullRuns *: /app log:          /' || true

[ "${KEEP:-}" = 1 ] || drop_schemas
