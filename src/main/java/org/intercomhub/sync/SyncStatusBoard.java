package org.intercomhub.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.intercomhub.pull.Checkpoint;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live state of every collection's pull, and the run history table behind it. Also the guard that keeps one run of a
 * collection at a time in this instance.
 *
 * <p>Its meters, tagged {@code collection} (README "Metrics"): counters {@code hub.pull.records},
 * {@code hub.pull.pages} and {@code hub.pull.failures}; the timer {@code hub.pull.duration} (tag {@code outcome}:
 * succeeded | failed); gauges {@code hub.pull.last.success} (epoch seconds of the last successful run's end, 0 before
 * one) and {@code hub.pull.lateness} (seconds since the run the schedule asked for should have started, 0 when on
 * time, running or switched off).
 */
public class SyncStatusBoard {

    private static final Logger log = LoggerFactory.getLogger(SyncStatusBoard.class);

    private final Map<String, CollectionStatus> collections = new ConcurrentHashMap<>();
    private final Map<String, String> runIds = new ConcurrentHashMap<>();
    private final CheckpointStore checkpoints;
    private final JdbcTemplate jdbc;
    private final String runsTable;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Each scheduled collection's Quartz cron (sync.collections), for its lateness. */
    private final Map<String, CronExpression> schedules = new ConcurrentHashMap<>();
    /** Lateness of a collection that never ran counts from here. */
    private final Instant createdAt;
    private volatile boolean summaryPending;

    public SyncStatusBoard(CheckpointStore checkpoints, JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock,
                           MeterRegistry meters) {
        this.checkpoints = checkpoints;
        this.jdbc = jdbc;
        this.runsTable = schema.table("sync_runs");
        this.clock = clock;
        this.meters = meters;
        this.createdAt = clock.instant();
    }

    /**
     * The collection's cron from sync.collections: its lateness is measured against it. A cron Quartz cannot read is
     * left out here; start-up refuses it naming the key (PullRoutes).
     */
    public void schedule(String collection, String cron) {
        try {
            schedules.put(collection, new CronExpression(cron));
        } catch (ParseException e) {
            log.debug("{}: cron '{}' unreadable; start-up reports it", collection, cron);
        }
        of(collection);
    }

    private CollectionStatus register(String collection) {
        Counter failures = Counter.builder("hub.pull.failures").tag("collection", collection)
                .description("Pull runs that failed").register(meters);
        Counter.builder("hub.pull.records").tag("collection", collection)
                .description("Records written to the warehouse by pulls").register(meters);
        Counter.builder("hub.pull.pages").tag("collection", collection)
                .description("Pages committed by pulls").register(meters);
        CollectionStatus status = new CollectionStatus(collection, failures);
        Gauge.builder("hub.pull.last.success", status, s -> s.lastSucceededAt() == null ? 0
                        : s.lastSucceededAt().toEpochMilli() / 1000.0)
                .tag("collection", collection).baseUnit("seconds")
                .description("When the last successful run ended, epoch seconds (0: none since start-up)")
                .register(meters);
        Gauge.builder("hub.pull.lateness", status, this::lateness)
                .tag("collection", collection).baseUnit("seconds")
                .description("Seconds since the run the schedule asked for should have started; 0 when on time")
                .register(meters);
        return status;
    }

    private double lateness(CollectionStatus status) {
        CronExpression cron = schedules.get(status.collection());
        CollectionStatus.State state = status.state();
        if (cron == null || state == CollectionStatus.State.RUNNING || state == CollectionStatus.State.DISABLED) {
            return 0;
        }
        Instant since = status.lastRunStartedAt() == null ? createdAt : status.lastRunStartedAt();
        return lateSeconds(cron, since, clock.instant());
    }

    /**
     * How late the run after {@code lastStart} is at {@code now}: seconds since the first time the cron fires after
     * the last run started, 0 when that time is still to come.
     */
    static long lateSeconds(CronExpression cron, Instant lastStart, Instant now) {
        Date due = cron.getNextValidTimeAfter(Date.from(lastStart));
        if (due == null || !now.isAfter(due.toInstant())) {
            return 0;
        }
        return Duration.between(due.toInstant(), now).toSeconds();
    }

    /**
     * When each collection's cron fires next and how late its due run is (the {@code hub.pull.lateness} gauge's
     * value), for the {@code schedules} section of {@code GET /sync/status}. A collection without a readable cron, or
     * switched off, has no next run.
     */
    public Map<String, Map<String, Object>> schedules() {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        Instant now = clock.instant();
        collections.keySet().stream().sorted().forEach(name -> {
            CollectionStatus status = of(name);
            CronExpression cron = schedules.get(name);
            Map<String, Object> schedule = new LinkedHashMap<>();
            schedule.put("cron", cron == null ? null : cron.getCronExpression());
            Date next = cron == null || status.state() == CollectionStatus.State.DISABLED ? null
                    : cron.getNextValidTimeAfter(Date.from(now));
            schedule.put("next_run_at", next == null ? null : next.toInstant().toString());
            long late = (long) lateness(status);
            schedule.put("late_seconds", late);
            schedule.put("late", late > 0);
            result.put(name, schedule);
        });
        return result;
    }

    /**
     * The newest runs from the run history table, newest first: what {@code GET /sync/runs} answers and the status
     * page charts. {@code collection} null: every collection.
     */
    public List<Map<String, Object>> recentRuns(String collection, int limit) {
        String where = collection == null ? "" : " WHERE collection = ?";
        Object[] args = collection == null ? new Object[0] : new Object[] {collection};
        // LIMIT n is understood by PostgreSQL, MariaDB and H2; n is an int, never the caller's text. Newest first
        // through the index on started_at (V4)
        return jdbc.query("SELECT run_id, collection, state, started_at, ended_at, records, pages, error FROM "
                + runsTable + where + " ORDER BY started_at DESC, run_id LIMIT " + limit, (rs, i) -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("run_id", rs.getString("run_id"));
            run.put("collection", rs.getString("collection"));
            run.put("state", rs.getString("state"));
            long started = rs.getLong("started_at");
            long ended = rs.getLong("ended_at");
            boolean hasEnd = !rs.wasNull();
            run.put("started_at", Instant.ofEpochMilli(started).toString());
            run.put("ended_at", hasEnd ? Instant.ofEpochMilli(ended).toString() : null);
            run.put("duration_ms", hasEnd ? ended - started : null);
            run.put("records", rs.getLong("records"));
            run.put("pages", rs.getLong("pages"));
            run.put("error", rs.getString("error"));
            return run;
        }, args);
    }

    /**
     * Runs that were going when the process stopped will not end by themselves; their checkpoints resume them. One node
     * only: in a cluster a 'running' row may be another node's live run (the collection's next run closes it instead).
     */
    public int markInterruptedRuns() {
        return jdbc.update("UPDATE " + runsTable + " SET state = 'interrupted', ended_at = ? WHERE state = 'running'",
                clock.millis());
    }

    public CollectionStatus of(String collection) {
        return collections.computeIfAbsent(collection, this::register);
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
        // one run of a collection at a time, cluster-wide (a stateful Quartz job): an older 'running' row is a run whose
        // node died; this run resumes from its checkpoint
        jdbc.update("UPDATE " + runsTable + " SET state = 'interrupted', ended_at = ? WHERE collection = ?"
                + " AND state = 'running'", clock.millis(), collection);
        jdbc.update("INSERT INTO " + runsTable + " (run_id, collection, started_at, state, records, pages) "
                + "VALUES (?, ?, ?, 'running', 0, 0)", runId, collection, clock.millis());
        return true;
    }

    public void page(String collection, int records) {
        of(collection).page(records);
        meters.counter("hub.pull.records", "collection", collection).increment(records);
        meters.counter("hub.pull.pages", "collection", collection).increment();
    }

    /** A listed record was deleted or merged before its detail call: skipped, counted by reason. */
    public void vanished(String collection, String reason) {
        of(collection).vanished(reason);
    }

    public void finish(String collection) {
        CollectionStatus status = of(collection);
        status.finish(clock.instant());
        timeRun(status, "succeeded");
        endRun(collection, "succeeded", null);
        logSummaryIfIdle();
    }

    /** The collection's runs that failed in a row, newest first, counting at most {@code atMost}. */
    public int failedInARow(String collection, int atMost) {
        return FailedRunRetries.failedInARow(jdbc, runsTable, "collection", collection, atMost);
    }

    public void fail(String collection, String error) {
        CollectionStatus status = of(collection);
        status.fail(clock.instant(), error);
        timeRun(status, "failed");
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

    /** The collection's last run on this node ended no longer than {@code window} ago. */
    public boolean endedWithin(String collection, java.time.Duration window) {
        return of(collection).endedWithin(clock.instant(), window);
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

    private void timeRun(CollectionStatus status, String outcome) {
        CollectionStatus.Snapshot run = status.snapshot(null);
        if (run.lastRunStartedAt() == null || run.lastRunEndedAt() == null) {
            return; // failed before it started (no run to time)
        }
        Timer.builder("hub.pull.duration").tag("collection", status.collection()).tag("outcome", outcome)
                .description("Pull run duration").register(meters)
                .record(Duration.between(run.lastRunStartedAt(), run.lastRunEndedAt()));
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
