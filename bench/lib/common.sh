# Shared by the bench scripts (sourced, never run): what starting the hub without pulls and reading the load
# generator's results look like in every one of them.

# the jar to run: $JAR when given (e.g. a build of main kept for a before/after comparison), else this checkout built
hub_jar() {
  if [ -n "${JAR:-}" ]; then echo "$JAR"; return; fi
  ./mvnw -q -B -DskipTests package >&2
  ls target/intercom-hub-*.jar | head -1
}

# every collection of the catalogue switched off, nothing run at start-up: the hub does only what the bench measures
NO_PULLS=(--sync.run-on-startup=false)
for c in contacts conversations deleted_conversations tickets activity_logs companies segments tags admins teams data_attributes; do
  NO_PULLS+=("--sync.collections.$c.enabled=false")
done

# bench/load/IngestLoad.java's results ($WORK/results.tsv) as a Markdown table
ingest_table() {
  printf '| target | rate/s | sent | acked (2xx) | errors | acks/s | p50 ms | p99 ms | p99 from schedule ms | inbox drained after |\n'
  printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
  awk -F'\t' 'NR>1 {printf "| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %.1f | %s |\n", $1, $2, $5, $6, $7, $8, $9, $10, $11, ($12 < 0 ? "-" : $12 " s")}' "$WORK/results.tsv"
}

# sustained rate of a target: the highest step whose acks/s reached 95% of the offered rate with no errors (and,
# given a second argument, a p99 under it in ms). A step whose every scheduled request was sent and acknowledged kept
# its offered rate: acks/s divides by a time that ends with the last answer (2,000/s kept in full read 1,997 acks/s).
best() { awk -F'\t' -v t="$1" -v p99max="${2:-1e18}" 'NR>1 && $1==t && $7==0 && $8 >= 0.95*$2 && $10 < p99max {v = ($6 == $4 ? $2 : $8); if (v>m) m=v} END {printf "%.0f", m}' "$WORK/results.tsv"; }
# the highest acks/s of a target over any step
peak() { awk -F'\t' -v t="$1" 'NR>1 && $1==t {if ($8>m) m=$8} END {printf "%.0f", m}' "$WORK/results.tsv"; }

# $JAR, else the repository's jar, built first unless SKIP_BUILD=1
use_jar() {
  if [ -z "${JAR:-}" ]; then
    [ "${SKIP_BUILD:-}" = 1 ] || ./mvnw -q -B -DskipTests package
    JAR=$(ls target/intercom-hub-*.jar | head -1)
  fi
}

# the sandbox in its own process on $SANDBOX_PORT (log $WORK/sandbox.log):
# start_sandbox <contacts> <rate limit per 10 s> [ms each answer takes, as a remote Intercom's round trip; default 0]
start_sandbox() {
  java -Xmx512m -cp "$JAR" -Dloader.main=org.intercomhub.sandbox.SandboxMain \
    org.springframework.boot.loader.launch.PropertiesLauncher \
    --port "$SANDBOX_PORT" --contacts "$1" --rate-limit "$2" --latency-ms "${3:-0}" > "$WORK/sandbox.log" 2>&1 &
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$SANDBOX_PORT/sandbox/stats" >/dev/null && break; sleep 0.5; done
}

# the hub on $APP_PORT against that sandbox, with the tracking API on ($WRITE_KEY), pulls, analytics and CRM off, the
# warehouse in PostgreSQL's schema $SCHEMA (bookkeeping ${SCHEMA}_hub), and $HUB_ARGS (more --settings, split on
# spaces); log $WORK/app.log; exit 2 when it does not start
start_tracking_hub() {
  java -Xmx512m -jar "$JAR" \
    --server.port="$APP_PORT" \
    --intercom.access-token=sandbox-token --intercom.base-url="http://127.0.0.1:$SANDBOX_PORT" \
    "${NO_PULLS[@]}" \
    --warehouse.url=jdbc:postgresql://127.0.0.1:5432/test --warehouse.user=postgres \
    --warehouse.schema="$SCHEMA" --warehouse.bookkeeping-schema="${SCHEMA}_hub" \
    --tracking.write-keys="$WRITE_KEY" --analytics.enabled=false --crm.enabled=false ${HUB_ARGS:-} \
    > "$WORK/app.log" 2>&1 &
  for _ in $(seq 1 480); do curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$APP_PORT/sync/status" >/dev/null || { tail -50 "$WORK/app.log"; echo "app did not start"; exit 2; }
}

# the run's PostgreSQL schemas ($SCHEMA and ${SCHEMA}_hub) dropped now, and again on exit with the background
# processes stopped and $WORK removed (needs $PSQL, $SCHEMA, $WORK)
drop_schemas() { for s in $SCHEMA ${SCHEMA}_hub; do "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $s CASCADE" 2>/dev/null; done; }
clean_start() {
  trap 'kill $(jobs -p) 2>/dev/null || true; drop_schemas || true; rm -rf "$WORK"' EXIT
  drop_schemas
}

# PostgreSQL's statement statistics, when the server loads pg_stat_statements (shared_preload_libraries; it is not
# on by default): pg_stats_reset before the measured part, pg_stats_report <calls> after it prints the statement time
# per call and the busiest statements. Both say so and do nothing without it. Uses "${PSQL[@]}".
pg_stats_available() {
  "${PSQL[@]}" -c "SHOW shared_preload_libraries" 2>/dev/null | grep -q pg_stat_statements \
    && "${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1
}
pg_stats_reset() {
  if pg_stats_available; then "${PSQL[@]}" -c "SELECT pg_stat_statements_reset()" >/dev/null
  else echo "(pg_stat_statements not loaded by the server: no statement statistics)"; fi
}
pg_stats_report() {
  pg_stats_available || return 0
  "${PSQL[@]}" -c "SELECT round(sum(total_exec_time)::numeric / greatest($1, 1), 3) FROM pg_stat_statements" \
    | sed 's/^/statement time per call, all statements (ms): /'
  echo "busiest statements (total ms, calls, mean ms, statement):"
  "${PSQL[@]}" -F ' | ' -c "SELECT round(total_exec_time)::bigint, calls, round(mean_exec_time::numeric, 3),
      left(regexp_replace(query, '\s+', ' ', 'g'), 150) FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10"
}
