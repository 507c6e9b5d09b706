package org.intercomhub.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.intercom.WriteResult;
import org.intercomhub.sync.FailedRunRetries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps of a push run that need code, called by routes/intercom-push.camel.yaml: open the run, diff each model
 * row against what was last sent, write the changed ones, act on the keys that left the model, close the run.
 * Every row's outcome is recorded as it happens, so a run that is stopped half-way resumes, in effect, where it was:
 * the rows it wrote are unchanged for the next run, and no event is sent twice.
 */
public class PushRuns {

    private static final Logger log = LoggerFactory.getLogger(PushRuns.class);
    /** Rejections logged per run; the rest are in push_rows. */
    private static final int LOGGED_REJECTIONS = 5;
    private static final int MISSING_CHUNK = 500;
    /** The Quartz group of the push routes' jobs (quartz:intercom-push/<sync>). */
    static final String GROUP = "intercom-push";

    private final PushSyncs syncs;
    private final PushState state;
    private final PushWriter writer;
    private final IntercomWriter intercom;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final PushDeadLetters deadLetters;
    private final FailedRunRetries retries;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> rejectionsLogged = new ConcurrentHashMap<>();
    /** hub.push.rows per sync and outcome, registered once rather than looked up for every row. */
    private final Map<String, Counter> rowCounters = new ConcurrentHashMap<>();

    public PushRuns(PushSyncs syncs, PushState state, IntercomWriter intercom, ObjectMapper json, Clock clock,
                    MeterRegistry meters, PushDeadLetters deadLetters, FailedRunRetries retries) {
        this.retries = retries;
        this.syncs = syncs;
        this.state = state;
        this.intercom = intercom;
        this.writer = new PushWriter(intercom);
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.deadLetters = deadLetters;
    }

    public boolean isRunning(String sync) {
        return running.contains(sync);
    }

    /** Opens a run; null when one of this sync is already going. */
    public PushRun begin(String sync) {
        PushDefinition definition = syncs.get(sync);
        if (definition == null) {
            throw new IllegalStateException("push sync " + sync + " is not loaded");
        }
        if (!running.add(sync)) {
            log.info("push {}: a run is already going; this trigger is skipped", sync);
            return null;
        }
        PushRun run = new PushRun(UUID.randomUUID().toString(), definition, new PushRowMapper(definition, json),
                clock.instant(), false);
        try {
            state.runStarted(sync, run.runId(), run.startedAt().toEpochMilli());
        } catch (RuntimeException e) {
            running.remove(sync);
            throw e;
        }
        rejectionsLogged.put(run.runId(), new AtomicInteger());
        log.info("push {}: run started ({} {} by {}, mode {})", sync, PushDefinition.lower(definition.object()),
                "rows", definition.match(), PushDefinition.lower(definition.mode()));
        return run;
    }

    /** A row to write, with what the hub remembered of its key when it compared them (read once per row). */
    public record ChangedRow(PushRow row, PushState.Remembered remembered) {
    }

    /** The row when it has to be written; null when it is unchanged or cannot be sent (both recorded here). */
    public ChangedRow diff(@ExchangeProperty("push") PushRun run, @Body Map<String, Object> columns) {
        run.rowStarted();
        try {
            return changed(run, columns);
        } finally {
            run.rowEnded();
        }
    }

    private ChangedRow changed(PushRun run, Map<String, Object> columns) {
        run.rowRead();
        PushRow row = run.mapper().map(columns);
        if (row.isRejected()) {
            record(run, row, WriteResult.rejected(null, row.rejection()));
            return null;
        }
        PushState.Remembered remembered = state.remembered(run.sync().sync(), row.key());
        if (remembered != null && row.hash().equals(remembered.rowHash())) {
            record(run, row, WriteResult.unchanged(remembered.intercomId(), null));
            return null;
        }
        return new ChangedRow(row, remembered);
    }

    /** Writes one changed row into Intercom and records how it ended. */
    public void write(@ExchangeProperty("push") PushRun run, @Body ChangedRow changed) {
        run.rowStarted();
        try {
            write(run, changed.row(), changed.remembered());
        } finally {
            run.rowEnded();
        }
    }

    /** What {@code POST /dead-letters/replay} does with a letter: the row written as a run would. */
    WriteResult replay(PushRun run, PushRow row) {
        return write(run, row, state.remembered(run.sync().sync(), row.key()));
    }

    /**
     * Writes one row and records how it ended: a refusal keeps (or refreshes) the row's dead letter, a row that gets
     * through after a refusal takes its letter away.
     */
    private WriteResult write(PushRun run, PushRow row, PushState.Remembered remembered) {
        WriteResult result = writer.apply(run, writer.plan(run, row, remembered));
        record(run, row, result);
        if (result.isRejected()) {
            deadLetters.refused(run.sync(), row, result.reason());
        } else if (remembered != null && "rejected".equals(remembered.outcome())) {
            deadLetters.delivered(run.sync(), row.key());
        }
        return result;
    }

    /**
     * Acts on the keys that left the model since the last run, as the sync's {@code missing} says. Skipped when the
     * model returned no row at all: an empty result is far more often a broken model than every row leaving.
     */
    public void applyMissing(@ExchangeProperty("push") PushRun run) throws InterruptedException {
        run.awaitRowsEnded();
        PushDefinition sync = run.sync();
        if (sync.missing() == PushDefinition.Missing.KEEP) {
            return;
        }
        if (run.rowsRead() == 0) {
            log.warn("push {}: the model returned no rows; missing: {} is not applied to the {} keys sent before "
                    + "(an empty model is more often a broken query than every row leaving)", sync.sync(),
                    PushDefinition.lower(sync.missing()), state.countMissing(sync.sync(), run.runId()));
            return;
        }
        String after = "";
        while (true) {
            List<PushState.Missing> chunk = state.missing(sync.sync(), run.runId(), after, MISSING_CHUNK);
            for (PushState.Missing gone : chunk) {
                WriteResult result = sync.missing() == PushDefinition.Missing.DELETE
                        ? (sync.object() == PushObject.COMPANY ? intercom.deleteCompany(gone.intercomId())
                        : intercom.deleteContact(gone.intercomId()))
                        : intercom.archiveContact(gone.intercomId());
                if (result.isRejected() && result.reason().startsWith("not_found")) {
                    result = new WriteResult(WriteResult.Outcome.DELETED, gone.intercomId(),
                            "left the model; Intercom no longer has it");
                }
                recordKey(run, gone.key(), null, result);
            }
            if (chunk.size() < MISSING_CHUNK) {
                return;
            }
            after = chunk.get(chunk.size() - 1).keyHash();
        }
    }

    public void finish(@ExchangeProperty("push") PushRun run) throws InterruptedException {
        try {
            run.awaitRowsEnded();
            state.runEnded(run, "succeeded", null);
            retries.succeeded(GROUP, run.sync().sync());
            log.info("push {}: run finished in {}: {} rows, {}", run.sync().sync(),
                    Duration.between(run.startedAt(), clock.instant()), run.rowsRead(), run.counts());
        } finally {
            end(run);
        }
    }

    public void fail(@ExchangeProperty("push") PushRun run, Exception error) throws InterruptedException {
        try {
            run.awaitRowsEnded();
            // the split wraps what stopped it ("Multicast processing failed for number 298 ..."): say what did
            Throwable cause = error instanceof org.apache.camel.CamelExchangeException && error.getCause() != null
                    ? error.getCause() : error;
            String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
            log.warn("push {}: run failed after {} rows ({}): {}; the rows not written are sent by the next run",
                    run.sync().sync(), run.rowsRead(), run.counts(), message);
            state.runEnded(run, "failed", message);
            retries.failed(GROUP, run.sync().sync(), state.failedInARow(run.sync().sync(), retries.failuresToCount()));
        } finally {
            end(run);
        }
    }

    private void end(PushRun run) {
        rejectionsLogged.remove(run.runId());
        running.remove(run.sync().sync());
    }

    private void record(PushRun run, PushRow row, WriteResult result) {
        if (row.key() == null) {
            count(run, result); // no key to remember it by: counted and logged only
            return;
        }
        recordKey(run, row.key(), result.isRejected() ? null : row.hash(), result);
    }

    private void recordKey(PushRun run, String key, String rowHash, WriteResult result) {
        state.record(run.sync().sync(), run.runId(), key, rowHash, result);
        count(run, result);
    }

    private void count(PushRun run, WriteResult result) {
        run.count(result.outcome());
        rowCounters.computeIfAbsent(run.sync().sync() + "|" + result.outcome().label(), key -> Counter
                .builder("hub.push.rows").description("Model rows of push syncs by how they ended")
                .tag("sync", run.sync().sync()).tag("outcome", result.outcome().label()).register(meters))
                .increment();
        if (result.isRejected()) {
            AtomicInteger logged = rejectionsLogged.get(run.runId());
            if (logged != null && logged.incrementAndGet() <= LOGGED_REJECTIONS) {
                log.warn("push {}: a row was rejected: {}{}", run.sync().sync(), result.reason(),
                        logged.get() == LOGGED_REJECTIONS ? " (further rejections of this run: see push_rows)" : "");
            }
        }
    }

    /** The pending retries of failed runs, by sync, when each is due (sync.retry-failed-runs). */
    public Map<String, Instant> retriesDue() {
        return retries.pending(GROUP);
    }

    PushWriter writer() {
        return writer;
    }

    PushState state() {
        return state;
    }
}
