package org.intercomhub.pull;

import org.intercomhub.intercom.Pager;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One run of one collection's pull: the state the route carries from page to page. */
public final class PullRun {

    private final PullDefinition definition;
    private final Checkpoint startCheckpoint;
    private final long since;
    private final Instant startedAt;
    private final boolean resumed;
    private Pager pager;
    /** The next page, being fetched while the current one is written. */
    private CompletableFuture<PullRuns.FetchedPage> prefetch;
    private boolean hasMore = true;
    private String pageCursor;
    private Long runHighWater;
    private Long pageHighWater;
    private long records;
    private int pageRecords;
    private long pages;
    private long skippedUnchanged;
    private final java.util.concurrent.atomic.AtomicLong vanished = new java.util.concurrent.atomic.AtomicLong();
    private long lastProgressLogMillis;

    PullRun(PullDefinition definition, Checkpoint startCheckpoint, long since, Instant startedAt, boolean resumed,
            Long runHighWater) {
        this.definition = definition;
        this.startCheckpoint = startCheckpoint;
        this.since = since;
        this.startedAt = startedAt;
        this.resumed = resumed;
        this.runHighWater = runHighWater;
        this.lastProgressLogMillis = System.currentTimeMillis();
    }

    public PullDefinition definition() { return definition; }
    public String collection() { return definition.name(); }
    Checkpoint startCheckpoint() { return startCheckpoint; }
    long since() { return since; }
    Instant startedAt() { return startedAt; }
    boolean resumed() { return resumed; }
    Pager pager() { return pager; }
    void pager(Pager pager) { this.pager = pager; }

    void prefetch(CompletableFuture<PullRuns.FetchedPage> nextPage) { this.prefetch = nextPage; }

    /** The prefetched page (its fetch error, if it failed), or null when none was started. */
    PullRuns.FetchedPage takePrefetched() {
        CompletableFuture<PullRuns.FetchedPage> nextPage = prefetch;
        prefetch = null;
        if (nextPage == null) {
            return null;
        }
        try {
            return nextPage.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Lets a fetch still in flight end before the pager is closed: a pager is used by one thread at a time. */
    void awaitPrefetch() {
        if (prefetch != null) {
            prefetch.handle((page, error) -> null).join();
            prefetch = null;
        }
    }

    /** Read by the route's loop: whether another page is to be fetched. */
    public boolean hasMore() { return hasMore; }
    void morePages(boolean hasMore) { this.hasMore = hasMore; }

    String pageCursor() { return pageCursor; }
    void pageCursor(String cursor) { this.pageCursor = cursor; }
    Long runHighWater() { return runHighWater; }
    Long pageHighWater() { return pageHighWater; }
    void pageHighWater(Long value) { this.pageHighWater = value; }

    synchronized void recordMapped() { pageRecords++; }

    /** Closes the page: its records count as written and its high-water mark as reached; returns its size. */
    synchronized int pageCommitted() {
        int recordCount = pageRecords;
        pageRecords = 0;
        pages++;
        records += recordCount;
        if (pageHighWater != null && (runHighWater == null || pageHighWater > runHighWater)) {
            runHighWater = pageHighWater;
        }
        pageHighWater = null;
        return recordCount;
    }

    void skippedUnchanged(int count) { skippedUnchanged += count; }
    /** Items are filled in concurrently: counted from several threads. */
    void vanished() { vanished.incrementAndGet(); }
    long vanishedCount() { return vanished.get(); }
    long skippedUnchanged() { return skippedUnchanged; }
    public long records() { return records; }
    public long pages() { return pages; }
    long lastProgressLogMillis() { return lastProgressLogMillis; }
    void lastProgressLogMillis(long millis) { this.lastProgressLogMillis = millis; }
}
