package org.intercomhub.push;

import org.intercomhub.intercom.WriteResult;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.FailedRunRetries;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The push syncs' bookkeeping (tables from migration V3): per sync and key what was last sent and how it ended
 * ({@code push_rows}, the row-level results), and the run history ({@code push_runs}).
 */
public class PushState {

    /** What the hub remembers of one key. */
    public record Remembered(String rowHash, String intercomId, String outcome) {
    }

    /** A key whose Intercom record the missing rule acts on. */
    public record Missing(String keyHash, String key, String intercomId) {
    }

    private final JdbcTemplate jdbc;
    private final String rows;
    private final String runs;
    private final Clock clock;

    public PushState(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock) {
        this.jdbc = jdbc;
        this.rows = schema.table("push_rows");
        this.runs = schema.table("push_runs");
        this.clock = clock;
    }

    public Remembered remembered(String sync, String key) {
        List<Remembered> found = jdbc.query("SELECT row_hash, intercom_id, outcome FROM " + rows
                        + " WHERE sync_name = ? AND key_hash = ?",
                (rs, n) -> new Remembered(rs.getString(1), rs.getString(2), rs.getString(3)),
                sync, keyHash(key));
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Records a row's outcome in this run. {@code rowHash} null means "send again next run"; an outcome that carries
     * no Intercom id keeps the one remembered.
     */
    public void record(String sync, String runId, String key, String rowHash, WriteResult result) {
        long now = clock.millis();
        String keyHash = keyHash(key);
        int updated = jdbc.update("UPDATE " + rows + " SET row_hash = ?, intercom_id = COALESCE(?, intercom_id), "
                        + "outcome = ?, reason = ?, run_id = ?, seen_run = ?, updated_at = ? "
                        + "WHERE sync_name = ? AND key_hash = ?",
                rowHash, result.intercomId(), result.outcome().label(), result.reason(), runId, runId, now, sync,
                keyHash);
        if (updated == 0) {
            jdbc.update("INSERT INTO " + rows + " (sync_name, key_hash, row_key, row_hash, intercom_id, outcome, "
                            + "reason, run_id, seen_run, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    sync, keyHash, key, rowHash, result.intercomId(), result.outcome().label(), result.reason(),
                    runId, runId, now);
        }
    }

    /**
     * Up to {@code limit} keys not in this run's model, after {@code afterKeyHash}, whose Intercom record the
     * missing rule has not acted on yet (keys of rows that never reached Intercom have no record to act on).
     */
    public List<Missing> missing(String sync, String runId, String afterKeyHash, int limit) {
        return jdbc.query("SELECT key_hash, row_key, intercom_id FROM " + rows + " WHERE sync_name = ? AND "
                        + "seen_run <> ? AND key_hash > ? AND intercom_id IS NOT NULL AND outcome NOT IN "
                        + "('archived', 'deleted') ORDER BY key_hash",
                ps -> {
                    ps.setString(1, sync);
                    ps.setString(2, runId);
                    ps.setString(3, afterKeyHash);
                    ps.setMaxRows(limit);
                },
                (rs, n) -> new Missing(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** How many keys the missing rule would act on if this run's model were complete. */
    public long countMissing(String sync, String runId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + rows + " WHERE sync_name = ? AND seen_run <> ? AND "
                + "intercom_id IS NOT NULL AND outcome NOT IN ('archived', 'deleted')", Long.class, sync, runId);
        return n == null ? 0 : n;
    }

    public void runStarted(String sync, String runId, long startedAt) {
        // one run of a sync at a time, cluster-wide (a stateful Quartz job): an older 'running' row is a run whose node
        // died; this run takes over from it
        jdbc.update("UPDATE " + runs + " SET state = 'interrupted', ended_at = ? WHERE sync_name = ? AND state = 'running'",
                startedAt, sync);
        jdbc.update("INSERT INTO " + runs + " (run_id, sync_name, started_at, state, rows_read, created, updated, "
                + "unchanged, archived, deleted, rejected) VALUES (?, ?, ?, 'running', 0, 0, 0, 0, 0, 0, 0)",
                runId, sync, startedAt);
    }

    public void runEnded(PushRun run, String state, String error) {
        Map<String, Long> counts = run.counts();
        jdbc.update("UPDATE " + runs + " SET ended_at = ?, state = ?, rows_read = ?, created = ?, updated = ?, "
                        + "unchanged = ?, archived = ?, deleted = ?, rejected = ?, error = ? WHERE run_id = ?",
                clock.millis(), state, run.rowsRead(), counts.get("created"), counts.get("updated"),
                counts.get("unchanged"), counts.get("archived"), counts.get("deleted"), counts.get("rejected"), error,
                run.runId());
    }

    /** Runs left 'running' by a hub that stopped mid-run (one node only: in a cluster another node may be running). */
    public int markInterrupted() {
        return jdbc.update("UPDATE " + runs + " SET state = 'interrupted', ended_at = ? WHERE state = 'running'",
                clock.millis());
    }

    /** The sync's latest runs, newest first, as /sync/status shows them. */
    /** The sync's runs that failed in a row, newest first, counting at most {@code atMost}. */
    public int failedInARow(String sync, int atMost) {
        return FailedRunRetries.failedInARow(jdbc, runs, "sync_name", sync, atMost);
    }

    public List<Map<String, Object>> recentRuns(String sync, int limit) {
        return jdbc.query("SELECT run_id, started_at, ended_at, state, rows_read, created, updated, unchanged, "
                        + "archived, deleted, rejected, error FROM " + runs + " WHERE sync_name = ? "
                        + "ORDER BY started_at DESC",
                ps -> {
                    ps.setString(1, sync);
                    ps.setMaxRows(limit);
                },
                (rs, n) -> {
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("run_id", rs.getString(1));
                    run.put("started_at", java.time.Instant.ofEpochMilli(rs.getLong(2)).toString());
                    long ended = rs.getLong(3);
                    run.put("ended_at", rs.wasNull() ? null : java.time.Instant.ofEpochMilli(ended).toString());
                    run.put("state", rs.getString(4));
                    run.put("rows", rs.getLong(5));
                    for (int i = 0; i < PushRun.OUTCOMES.size(); i++) {
                        run.put(PushRun.OUTCOMES.get(i), rs.getLong(6 + i));
                    }
                    run.put("error", rs.getString(12));
                    return run;
                });
    }

    static String keyHash(String key) {
        return PushRowMapper.sha256(key);
    }
}
