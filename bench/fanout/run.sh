#!/usr/bin/env bash
# bench/fanout: contacts pulled from the sandbox (no rate limit) into PostgreSQL, three ways in one invocation:
#   1. warehouse only (analytics and CRM off): the baseline
#   2. warehouse + analytics + CRM, both to stub receivers answering at once
#   3. the same with the stub Amplitude throttling 10% of users once (429 with throttled_users; they wait 30 s)
#   (all-three-unyielding, on demand: 2. with fanout.yield-to-pulls=0s, the branches delivering during the pull)
# The sandbox and the stubs run in their own processes (SandboxMain), the app in production mode pointed at them.
# Each figure: seconds from the pull's start until the warehouse has every row, and until both branch queues are
# empty; records/s of the whole fan-out.
#
#   bench/fanout/run.sh [contacts] [heap]       defaults: 100000 512m
#   JAR=/tmp/old.jar bench/fanout/run.sh         run another build (before/after comparisons); unset: builds this tree
#   RUNS="warehouse-only all-three"              which runs (default the three; also all-three-unyielding)
#   SANDBOX_JAR=/tmp/new.jar                     the build the sandbox and the stubs run from (default JAR): the same
#                                                stubs for both sides of a comparison
#   ROUTES=/tmp/old-routes                       the route files the app reads (default routes/ of this tree: a build
#                                                of another commit needs that commit's, git archive <rev> routes)
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

CONTACTS=${1:-100000}
HEAP=${2:-512m}
SANDBOX_PORT=18089
APP_PORT=18080
SCHEMA=bench_fanout
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
# LOGS=<dir>: the app's, sandbox's and stubs' logs are copied there at the end
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${LOGS:-}" ] && mkdir -p "$LOGS" && cp "$WORK"/*.log "$LOGS"/; rm -rf "$WORK"' EXIT

if [ -z "${JAR:-}" ]; then
  ./mvnw -q -B -DskipTests package
  JAR=$(ls target/intercom-hub-*.jar | head -1)
fi
RUNS=${RUNS:-warehouse-only all-three all-three-throttled}
ROUTES=${ROUTES:-routes}
SANDBOX_JAR=${SANDBOX_JAR:-$JAR}
echo "jar $JAR, routes $ROUTES, sandbox and stubs $SANDBOX_JAR, $CONTACTS contacts, -Xmx$HEAP, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

java -Xmx1g -cp "$SANDBOX_JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts "$CONTACTS" --rate-limit 0 > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done
# stub Amplitude and CRM: one pair answering at once, one pair whose Amplitude throttles 10% of users once
stubs() { # amplitude port, crm port, throttle percent
  java -Xmx512m -cp "$SANDBOX_JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
    org.springframework.boot.loader.launch.PropertiesLauncher \
    --port none --amplitude-port "$1" --crm-port "$2" --amplitude-throttle-percent "$3" > "$WORK/stubs-$1.log" 2>&1 &
  for _ in $(seq 1 600); do grep -qs 'Stub CRM listening' "$WORK/stubs-$1.log" && break; sleep 0.5; done
}
stubs 18097 18098 0
STUBS_A=$!
stubs 18197 18198 10
STUBS_B=$!
to_stubs() { # amplitude port, crm port
  echo "--analytics.url=http://127.0.0.1:$1/2/httpapi" --analytics.api-key=sandbox-key \
    "--crm.base-url=http://127.0.0.1:$2" --crm.api-key=sandbox-key
}

ONLY_CONTACTS=("--sync.collections.contacts.cron=0 0 3 1 1 ?")
for c in conversations deleted_conversations tickets activity_logs companies segments tags admins teams data_attributes; do
  ONLY_CONTACTS+=("--sync.collections.$c.enabled=false")
done

waiting() { # analytics + crm queue rows
  curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | python3 -c '
import json,sys
d=json.load(sys.stdin)["destinations"]
print(sum(d[b].get("waiting",0) for b in ("analytics","crm") if b in d and d[b].get("enabled")))'
}

cpu() { # pid: user + system CPU seconds
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"
}

run() { # name, extra args...
  local name=$1; shift
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"
  java -Xmx"$HEAP" -jar "$JAR" \
    --server.port=$APP_PORT \
    --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
    --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
    --warehouse.schema=$SCHEMA --warehouse.bookkeeping-schema=${SCHEMA}_hub \
    "--camel.main.routes-include-pattern=file:$ROUTES/*.camel.yaml" \
    --sync.run-on-startup=false --sync.contact-notes=false "${ONLY_CONTACTS[@]}" "$@" > "$WORK/app-$name.log" 2>&1 &
  local app=$!
  # a loaded machine (other builds on the 2 cores) can take minutes to start the app
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done
  if ! curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null; then
    echo "$name: the app did not start; its log ends:" >&2; tail -20 "$WORK/app-$name.log" >&2; exit 1
  fi
  local start end_pull end_all
  start=$(date +%s.%N)
  curl -sf -X POST "http://127.0.0.1:$APP_PORT/sync/contacts" >/dev/null
  sleep 1
  while curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | grep -A2 '"contacts"' | grep -q '"running"'; do sleep 0.2; done
  end_pull=$(date +%s.%N)
  while [ "$(waiting)" != "0" ]; do sleep 0.2; done
  end_all=$(date +%s.%N)
  local rows
  rows=$("${PSQL[@]}" -c "SELECT count(*) FROM $SCHEMA.contacts")
  curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | python3 -c '
import json,sys
d=json.load(sys.stdin)["destinations"]
for b in ("analytics","crm"):
    if d.get(b,{}).get("enabled"):
        x=d[b]; print("   %s: sent %d, failed %d, dead-lettered %d, dropped %d, throttled %d" % (b, x["sent"], x["failed"], x["dead_lettered"], x["dropped"], x["throttled"]))
        if x.get("last_error"): print("     last error: %s" % x["last_error"])' > "$WORK/branches-$name.txt"
  local pull all
  pull=$(echo "$end_pull - $start" | bc -l)
  all=$(echo "$end_all - $start" | bc -l)
  if [ "$name" = warehouse-only ]; then BASE_PULL=$pull; BASE_ALL=$all; fi
  printf '%-22s %7d rows  warehouse %6.1f s  all branches %6.1f s  %7.0f records/s' "$name" "$rows" "$pull" "$all" \
    "$(echo "$rows / $all" | bc -l)"
  if [ -n "${BASE_ALL:-}" ]; then
    # ratios to warehouse only: the pull's own time, and until both branch queues are empty
    printf '  ratio pull %.2f, all branches %.2f' "$(echo "$BASE_PULL / $pull" | bc -l)" "$(echo "$BASE_ALL / $all" | bc -l)"
  fi
  printf '  load average %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$WORK/branches-$name.txt"
  # CPU seconds (user + system) of the app and, since it started, of the sandbox and the stubs: the 2 cores they share
  echo "   cpu: app $(cpu $app) s; sandbox and stubs, all runs so far: $(cpu $SANDBOX) s, $(cpu $STUBS_A) s, $(cpu $STUBS_B) s"
  kill $app; wait $app 2>/dev/null || true
}

for r in $RUNS; do
  case $r in
    warehouse-only) run warehouse-only ;;
    # shellcheck disable=SC2046
    all-three) run all-three $(to_stubs 18097 18098) ;;
    # the branches deliver while the pull runs (fanout.yield-to-pulls off): what they cost the pull's 2 cores
    # shellcheck disable=SC2046
    all-three-unyielding) run all-three-unyielding $(to_stubs 18097 18098) --fanout.yield-to-pulls=0s ;;
    # shellcheck disable=SC2046
    all-three-throttled) run all-three-throttled $(to_stubs 18197 18198) ;;
  esac
done
"${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; DROP SCHEMA IF EXISTS ${SCHEMA}_hub CASCADE;"
