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
# given a second argument, a p99 under it in ms)
best() { awk -F'\t' -v t="$1" -v p99max="${2:-1e18}" 'NR>1 && $1==t && $7==0 && $8 >= 0.95*$2 && $10 < p99max {if ($8>m) m=$8} END {printf "%.0f", m}' "$WORK/results.tsv"; }
# the highest acks/s of a target over any step
peak() { awk -F'\t' -v t="$1" 'NR>1 && $1==t {if ($8>m) m=$8} END {printf "%.0f", m}' "$WORK/results.tsv"; }
