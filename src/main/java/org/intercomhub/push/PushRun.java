package org.intercomhub.push;

import org.intercomhub.intercom.WriteResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One run of a push sync: its id, the sync, how its rows ended so far, and what it learnt of Intercom on the way. */
public final class PushRun {

    static final List<String> OUTCOMES = List.of("created", "updated", "unchanged", "archived", "deleted", "rejected");

    private final String runId;
    private final PushDefinition sync;
    private final PushRowMapper mapper;
    private final Instant startedAt;
    private final boolean preview;
    private final AtomicLong rowsRead = new AtomicLong();
    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();
    /** Intercom ids of companies by company_id, looked up once per run for the contacts attached to them. */
    final Map<String, String> companyIds = new ConcurrentHashMap<>();
    /** Attributes Intercom refused to create in this run, with its reason: not asked again for every row. */
    final Map<String, String> refusedAttributes = new ConcurrentHashMap<>();
    /** Custom attribute names Intercom has for this sync's model, read once per run; null until read. */
    volatile Set<String> knownAttributes;

    PushRun(String runId, PushDefinition sync, PushRowMapper mapper, Instant startedAt, boolean preview) {
        this.runId = runId;
        this.sync = sync;
        this.mapper = mapper;
        this.startedAt = startedAt;
        this.preview = preview;
        OUTCOMES.forEach(outcome -> counts.put(outcome, new AtomicLong()));
    }

    public String runId() { return runId; }
    public PushDefinition sync() { return sync; }
    public PushRowMapper mapper() { return mapper; }
    public Instant startedAt() { return startedAt; }
    /** A preview plans every row and writes nothing, neither to Intercom nor to the bookkeeping. */
    public boolean preview() { return preview; }

    long rowRead() { return rowsRead.incrementAndGet(); }

    private int rowsInFlight;

    /** A row's step starts: the run does not end before it has been recorded. */
    synchronized void rowStarted() {
        rowsInFlight++;
    }

    synchronized void rowEnded() {
        if (--rowsInFlight == 0) {
            notifyAll();
        }
    }

    /**
     * Waits until no row is being written: a split stopped by one row's failure returns while rows on other threads
     * may still be writing, and their outcomes belong to this run (and must be recorded before the next run reads
     * what was sent).
     */
    synchronized void awaitRowsEnded() throws InterruptedException {
        while (rowsInFlight > 0) {
            wait();
        }
    }
    public long rowsRead() { return rowsRead.get(); }

    void count(WriteResult.Outcome outcome) {
        counts.get(outcome.label()).incrementAndGet();
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((outcome, n) -> out.put(outcome, n.get()));
        return out;
    }
}
