package org.intercomhub.sync;

import io.micrometer.core.instrument.Counter;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one collection's pull is doing or last did; a snapshot is what {@code GET /sync/status} shows. Its records and
 * pages are those of the current or last run (they are written to the run history); the counts since start-up are
 * meters ({@link SyncStatusBoard}), and {@code errors} reads the {@code hub.pull.failures} counter.
 */
public final class CollectionStatus {

    public enum State { IDLE, RUNNING, SUCCEEDED, FAILED, DISABLED }

    /** A claim whose job never started (scheduler stopped) stops blocking manual runs after this long. */
    private static final long CLAIM_EXPIRY_MILLIS = 60_000;

    private final String collection;
    private State state = State.IDLE;
    private Instant lastRunStartedAt;
    private Instant lastRunEndedAt;
    private Instant lastSucceededAt;
    private long records;
    private long pages;
    /** The {@code hub.pull.failures} counter of this collection. */
    private final Counter failures;
    private String lastError;
    /** Records of the last run that were deleted or merged between their listing and their detail call, by reason. */
    private final Map<String, Long> vanished = new TreeMap<>();
    /** When a manual run was asked for and its job has not started yet (0 = none): a second ask is refused. */
    private long claimedAtMillis;

    CollectionStatus(String collection, Counter failures) {
        this.collection = collection;
        this.failures = failures;
    }

    synchronized boolean tryStart(Instant now) {
        if (state == State.RUNNING) {
            return false;
        }
        claimedAtMillis = 0;
        state = State.RUNNING;
        lastRunStartedAt = now;
        lastRunEndedAt = null;
        records = 0;
        pages = 0;
        vanished.clear();
        return true;
    }

    /** Reserves the next run for a manual trigger; false while one runs or another trigger is about to start it. */
    synchronized boolean claim(long nowMillis) {
        boolean claimPending = claimedAtMillis != 0 && nowMillis - claimedAtMillis < CLAIM_EXPIRY_MILLIS;
        if (state == State.RUNNING || claimPending) {
            return false;
        }
        claimedAtMillis = nowMillis;
        return true;
    }

    synchronized void page(int recordCount) {
        pages++;
        records += recordCount;
    }

    synchronized void vanished(String reason) {
        vanished.merge(reason, 1L, Long::sum);
    }

    synchronized void finish(Instant now) {
        state = State.SUCCEEDED;
        lastRunEndedAt = now;
        lastSucceededAt = now;
    }

    synchronized void fail(Instant now, String error) {
        state = State.FAILED;
        lastRunEndedAt = now;
        failures.increment();
        lastError = error;
    }

    synchronized void disable() {
        if (state != State.RUNNING) {
            state = State.DISABLED;
        }
    }

    /** The last run ended (succeeded or failed) no longer than {@code window} before {@code now}. */
    synchronized boolean endedWithin(Instant now, java.time.Duration window) {
        return state != State.RUNNING && lastRunEndedAt != null && !lastRunEndedAt.isBefore(now.minus(window));
    }

    public synchronized boolean running() {
        return state == State.RUNNING;
    }

    String collection() {
        return collection;
    }

    synchronized State state() {
        return state;
    }

    synchronized Instant lastRunStartedAt() {
        return lastRunStartedAt;
    }

    synchronized Instant lastSucceededAt() {
        return lastSucceededAt;
    }

    public synchronized Snapshot snapshot(Object checkpoint) {
        return new Snapshot(collection, state.name().toLowerCase(), lastRunStartedAt, lastRunEndedAt, records, pages,
                Map.copyOf(vanished), (long) failures.count(), lastError, checkpoint);
    }

    /** @param skippedVanished records skipped because they were gone by their detail call, by reason */
    public record Snapshot(String collection, String state, Instant lastRunStartedAt, Instant lastRunEndedAt,
                           long records, long pages, Map<String, Long> skippedVanished, long errors, String lastError,
                           Object checkpoint) {
    }
}
