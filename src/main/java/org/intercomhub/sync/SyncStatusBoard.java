package org.intercomhub.sync;

import org.intercomhub.pull.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live state of every collection's pull, and the run history table behind it. Also the guard that keeps one run of a
 * collection at a time in this instance.
 */
public class SyncStatusBoard {

    private static final Logger log = LoggerFactory.getLogger(SyncStatusBoard.class);

    private final Map<String, CollectionStatus> collections = new ConcurrentHashMap<>();
    private final Map<String, String> runIds = new ConcurrentHashMap<>();
    private final CheckpointStore checkpoints;
    private final JdbcTemplate jdbc;
    private final String runsTable;
    private final Clock clock;
    private volatile boolean summaryPending;

    public SyncStatusBoard(CheckpointStore checkpoints, JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock) {
        this.checkpoints = checkpoints;
        this.jdbc = jdbc;
        this.runsTable = schema.table("sync_runs");
        this.clock = clock;
    }

    /** Runs that were going when the process stopped will not end by themselves; their checkpoints resume them. */
    public int markInterruptedRuns() {
        return jdbc.update("UPDATE " + runsTable + " SET state = 'interrupted', ended_at = ? WHERE state = 'running'",
                clock.millis());
    }

    public CollectionStatus of(String collection) {
        return collections.computeIfAbsent(collection, CollectionStatus::new);
    }

    /** Reserves a manual run: false when one is running or already asked for. */
    public boolean claim(String collection) {
        return of(collection).claim(clock.millis());
    }

    /** @return false when a run of this collection is already going */
    public boolean tryStart(String collection) {
        if (!of(collection).tryStart(clock.instant())) {
            return false;
        }
        String runId = UUID.randomUUID().toString();
        runIds.put(collection, runId);
        jdbc.update("INSERT INTO " + runsTable + " (run_id, collection, started_at, state, records, pages) "
                + "VALUES (?, ?, ?, 'running', 0, 0)", runId, collection, clock.millis());
        return true;
    }

    public void page(String collection, int records) {
        of(collection).page(records);
    }

    /** A listed record was deleted or merged before its detail call: skipped, counted by reason. */
    public void vanished(String collection, String reason) {
        of(collection).vanished(reason);
    }

    public void finish(String collection) {
        CollectionStatus status = of(collection);
        status.finish(clock.instant());
        endRun(collection, "succeeded", null);
        logSummaryIfIdle();
    }

    public void fail(String collection, String error) {
        of(collection).fail(clock.instant(), error);
        endRun(collection, "failed", error);
        logSummaryIfIdle();
    }

    /** Asks for one summary line per collection once no pull is running any more. */
    public void summaryWhenIdle() {
        summaryPending = true;
    }

    private synchronized void logSummaryIfIdle() {
        if (!summaryPending || anyRunning()) {
            return;
        }
        summaryPending = false;
        StringBuilder summary = new StringBuilder("sync summary:");
        collections.keySet().stream().sorted().forEach(name -> {
            CollectionStatus.Snapshot s = of(name).snapshot(null);
            summary.append(String.format("%n  %-22s %-10s %8d records %6d pages%s", name, s.state(), s.records(),
                    s.pages(), s.lastError() == null || !"failed".equals(s.state()) ? "" : "  error: " + s.lastError()));
        });
        log.info(summary.toString());
    }

    public void disable(String collection) {
        of(collection).disable();
    }

    public boolean anyRunning() {
        return collections.values().stream().anyMatch(CollectionStatus::running);
    }

    public Map<String, CollectionStatus.Snapshot> snapshot() {
        Map<String, CollectionStatus.Snapshot> result = new LinkedHashMap<>();
        collections.keySet().stream().sorted().forEach(name -> {
            Checkpoint checkpoint = checkpoints.load(name);
            result.put(name, of(name).snapshot(checkpoint == Checkpoint.NONE ? null : checkpoint));
        });
        return result;
    }

    private void endRun(String collection, String state, String error) {
        String runId = runIds.remove(collection);
        if (runId == null) {
            return;
        }
        CollectionStatus.Snapshot snapshot = of(collection).snapshot(null);
        jdbc.update("UPDATE " + runsTable + " SET ended_at = ?, state = ?, records = ?, pages = ?, error = ? "
                + "WHERE run_id = ?", clock.millis(), state, snapshot.records(), snapshot.pages(), error, runId);
    }
}
