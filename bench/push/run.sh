#!/usr/bin/env bash
# bench/push: a SQL model of contacts pushed into the sandbox at a fixed rate budget, against the bound that budget
# sets (requests sent / budget), then the same run again with nothing changed (it must send no write request).
#
#   ROWS=20000 BUDGET=167 bench/push/run.sh        defaults: ROWS=20000, BUDGET=167 requests per 10 s
#   ROWS=2000 bench/push/run.sh                    a quick run (20,000 rows at 167 per 10 s take about 40 minutes)
#   SKIP_BUILD=1 / JAR=path                        reuse target/intercom-hub-*.jar / run that jar
#
# The model is a PostgreSQL table (127.0.0.1:5432, user postgres, database test, trust auth) of new contacts (emails
# the sandbox does not have): each costs a search (POST /contacts/search) and a create (POST /contacts).
# Needs: psql, curl, python3, bc.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/common.sh

ROWS=${ROWS:-20000}
BUDGET=${BUDGET:-167}
SANDBOX_PORT=18189
APP_PORT=18180
SCHEMA=bench_push
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

use_jar

drop() { for s in $SCHEMA ${SCHEMA}_wh ${SCHEMA}_hub; do "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $s CASCADE" 2>/dev/null; done; }
drop
"${PSQL[@]}" -c "CREATE SCHEMA $SCHEMA;
  CREATE TABLE $SCHEMA.model_users AS
  SELECT 'bench-' || n || '@push.example' AS email, 'ext-' || n AS external_id, 'Bench User ' || n AS name,
         timestamp '2026-01-01' + n * interval '1 minute' AS signed_up_at
  FROM generate_series(1, $ROWS) AS n;"

# the sandbox in its own process with the budget; an empty workspace apart from its reference data
java -Xmx1g -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
  org.springframework.boot.loader.launch.PropertiesLauncher \
  --port $SANDBOX_PORT --contacts 0 --rate-limit "$BUDGET" > "$WORK/sandbox.log" 2>&1 &
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done

java -Xmx512m -jar "$JAR" \
  --server.port=$APP_PORT \
  --intercom.access-token=sandbox-token --intercom.base-url=http://127.0.0.1:$SANDBOX_PORT \
  --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
  --warehouse.schema=${SCHEMA}_wh --warehouse.bookkeeping-schema=${SCHEMA}_hub \
  "${NO_PULLS[@]}" --analytics.enabled=false --crm.enabled=false \
  --camel.main.routes-include-pattern=file:routes/*.camel.yaml,file:bench/push/syncs.camel.yaml \
  > "$WORK/app.log" 2>&1 &
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done

stats() { curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats"; }
running() { curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["push"]["bench_users"]["running"])'; }
last_run() { curl -sf "http://127.0.0.1:$APP_PORT/sync/status" | python3 -c 'import json,sys; r=json.load(sys.stdin)["push"]["bench_users"]["recent_runs"]; print(json.dumps(r[0] if r else None))'; }

# one run: prints wall seconds; the sandbox's counters before and after go to $WORK/<name>.before|after
run() {
  stats > "$WORK/$1.before"
  local start end
  start=$(date +%s.%N)
  curl -sf -X POST "http://127.0.0.1:$APP_PORT/push/bench_users" >/dev/null
  sleep 0.5
  while [ "$(running)" = True ]; do sleep 0.2; done
  end=$(date +%s.%N)
  stats > "$WORK/$1.after"
  last_run > "$WORK/$1.run"
  echo "$end - $start" | bc -l
}

report() {  # name wall
  python3 - "$WORK/$1.before" "$WORK/$1.after" "$WORK/$1.run" "$2" "$BUDGET" "$ROWS" "$1" <<'PY'
import json, sys
before, after, run = (json.load(open(p)) for p in sys.argv[1:4])
wall, budget, rows, name = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
paths = {k: v - before["requests_per_path"].get(k, 0) for k, v in after["requests_per_path"].items()}
paths = {k: v for k, v in paths.items() if v and not k.startswith("GET /sandbox")}
sent = sum(paths.values())
writes = sum(v for k, v in paths.items() if not k.startswith("GET") and k != "POST /contacts/search")
limited = after["rate_limited_responses"] - before["rate_limited_responses"]
bound = sent * 10.0 / budget
print(f"{name}: {rows} rows, wall {wall:.1f} s; requests sent {sent} ({sent / rows:.2f} per row), write requests {writes}")
print(f"  per path: {json.dumps(paths, sort_keys=True)}")
print(f"  bound at {budget} per 10 s: {bound:.1f} s; wall / bound: " + (f"{wall / bound:.3f}" if sent else "n/a (nothing sent)")
      + " (target <= 1.1); 429 answers: " + str(limited) + " (target 0)")
print(f"  run: {json.dumps(run)}")
PY
}

FIRST=$(run first)
report first "$FIRST"
SECOND=$(run rerun)
report rerun "$SECOND"
drop
