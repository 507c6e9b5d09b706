#!/usr/bin/env bash
# bench/tracking-delivery: USERS new users, each an identify (email, name, a custom trait) and a track, POSTed to the
# tracking API in batches of 500 calls (as Segment's clients batch them), then timed until every call is applied to
# the sandbox (its own process, empty workspace, rate limit BUDGET requests per 10 s: Intercom's default budget),
# against the bound that budget sets.
#
#   USERS=500 BUDGET=167 bench/tracking-delivery/run.sh     defaults: USERS=500, BUDGET=167 requests per 10 s
#   SKIP_BUILD=1 / JAR=path                                 reuse target/intercom-hub-*.jar / run that jar
#   HUB_ARGS="--tracking.concurrency=1"                     more settings of the hub
#   LATENCY_MS=100                                          each sandbox answer takes this long (default 0: loopback;
#                                                           a remote Intercom answers in tens to hundreds of ms)
#
# Bound: the Intercom requests the calls need at least, over the budget. A new user's identify needs one request
# (POST /contacts: the user does not exist; a 409 would name it) and its track one (POST /events): 2 per user, so
# bound = 2 × USERS × 10 s / BUDGET. The sandbox's window starts full, so the first BUDGET requests go at once: the
# exact bound is (requests − BUDGET) × 10 s / BUDGET. Also reported: the requests actually sent (per path), their
# own bound, and the 429 answers (target 0).
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, database test, trust auth), psql, curl, python3, java 17.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/lib/common.sh

USERS=${USERS:-500}
BUDGET=${BUDGET:-167}
APP_PORT=18280
SANDBOX_PORT=18289
SCHEMA=bench_tracking_delivery
WRITE_KEY=bench-write-key-0123456789
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qAt)
WORK=$(mktemp -d)
use_jar
clean_start

start_sandbox 0 "$BUDGET" "${LATENCY_MS:-0}"
start_tracking_hub

# the custom attribute exists in Intercom before the run, as in a workspace set up for it (creating it is not what
# this measures)
curl -sf -X POST "http://127.0.0.1:$SANDBOX_PORT/data_attributes" -H 'Authorization: Bearer sandbox-token' \
  -H 'Content-Type: application/json' -d '{"name":"plan_tier","model":"contact","data_type":"string"}' >/dev/null

curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" > "$WORK/before.json"
echo "machine: $(nproc) cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s.%N)
python3 - "$USERS" "http://127.0.0.1:$APP_PORT/v1/batch" "$WRITE_KEY" <<'PY'
import base64, json, sys, urllib.request
users, url, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
auth = "Basic " + base64.b64encode((key + ":").encode()).decode()
calls = []
for n in range(users):
    uid = f"bench-user-{n}"
    calls.append({"type": "identify", "userId": uid, "messageId": f"bench-i-{n}",
                  "traits": {"email": f"{uid}@delivery.example", "name": f"Bench User {n}", "plan_tier": "pro"}})
    calls.append({"type": "track", "userId": uid, "messageId": f"bench-t-{n}", "event": "Signed Up",
                  "properties": {"plan": "pro", "seats": 3}})
for i in range(0, len(calls), 500):
    body = json.dumps({"batch": calls[i:i + 500]}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", "Authorization": auth})
    with urllib.request.urlopen(req) as r:
        assert r.status == 200, r.status
PY
TOTAL=$((USERS * 2))
while :; do
  APPLIED=$("${PSQL[@]}" -c "SELECT count(*) FROM ${SCHEMA}_hub.tracking_inbox WHERE applied_at IS NOT NULL")
  [ "$APPLIED" -ge "$TOTAL" ] && break
  sleep 0.2
done
END=$(date +%s.%N)
curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" > "$WORK/after.json"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
"${PSQL[@]}" -c "SELECT outcome, call_type, count(*) FROM ${SCHEMA}_hub.tracking_inbox GROUP BY 1, 2 ORDER BY 1, 2" \
  > "$WORK/outcomes.txt"

python3 - "$WORK/before.json" "$WORK/after.json" "$START" "$END" "$USERS" "$BUDGET" "$WORK/outcomes.txt" \
  "${LATENCY_MS:-0}" "${HUB_ARGS:-}" <<'PY'
import json, sys
before, after = (json.load(open(p)) for p in sys.argv[1:3])
start, end, users, budget = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
outcomes = open(sys.argv[7]).read().split()
wall = end - start
paths = {k: v - before["requests_per_path"].get(k, 0) for k, v in after["requests_per_path"].items()}
paths = {k: v for k, v in paths.items() if v and not k.startswith("GET /sandbox") and k != "POST /data_attributes"}
sent = sum(paths.values())
needed = 2 * users
limited = after["rate_limited_responses"] - before["rate_limited_responses"]
bound = needed * 10.0 / budget
exact = max(0, needed - budget) * 10.0 / budget
print(f"{users} users, {2 * users} calls (identify + track each), budget {budget} per 10 s: wall {wall:.1f} s"
      f" (sandbox answers after {sys.argv[8]} ms; hub settings: {sys.argv[9] or 'defaults'})")
print(f"  outcomes (outcome|type|calls): {' '.join(outcomes)}")
print(f"  requests sent {sent} ({sent / users:.2f} per user): {json.dumps(paths, sort_keys=True)}; 429 answers: {limited}")
print(f"  bound (needed: {needed} requests, 2 per user) {bound:.1f} s, exact {exact:.1f} s;"
      f" wall / bound {wall / bound:.3f} (exact: {wall / exact if exact else float('nan'):.3f}); target <= 1.1")
print(f"  against the requests sent: bound {sent * 10.0 / budget:.1f} s, wall / that bound"
      f" {wall / (sent * 10.0 / budget):.3f}")
PY
