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
    /** Pages handed to the writer and not yet written or failed; the first write failure of the run. */
    private int pagesInFlight;
    private RuntimeException writeError;
    private Long mappedHighWater;

    PullRun(PullDefinition definition, Checkpoint startCheckpoint, long since, Instant startedAt, boolean resumed,
            Long runHighWater) {
        this.definition = definition;
        this.startCheckpoint = startCheckpoint;
        this.since = since;
        this.startedAt = startedAt;
        this.resumed = resumed;
        this.runHighWater = runHighWater;
        this.mappedHighWater = runHighWater;
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
    synchronized Long runHighWater() { return runHighWater; }
    Long pageHighWater() { return pageHighWater; }
    void pageHighWater(Long value) { this.pageHighWater = value; }

    synchronized void recordMapped() { pageRecords++; }

    /**
     * Closes the page the route filled in and hands it to the writer: its record count and the run's high-water
     * mark so far, taken now, since the next page moves the run on while this one is written.
     */
    synchronized PageToWrite closePage(Checkpoint afterPage) {
        PageToWrite page = new PageToWrite(this, afterPage, pageRecords);
        pageRecords = 0;
        pageHighWater = null;
        mappedHighWater = afterPage.runHighWater();
        pagesInFlight++;
        return page;
    }

    /** The highest version among the pages filled in so far (written or not). */
    synchronized Long mappedHighWater() { return mappedHighWater; }

    /** The page's records, its checkpoint and the branches' queue rows are committed: they count as written. */
    synchronized void pageCommitted(PageToWrite page) {
        pages++;
        records += page.recordCount();
        runHighWater = page.checkpoint().runHighWater();
        pagesInFlight--;
        notifyAll();
    }

    /** The page was not written; neither is any page after it, and the run stops at its next step. */
    synchronized void pageFailed(RuntimeException error) {
        if (writeError == null) {
            writeError = error;
        }
        pagesInFlight--;
        notifyAll();
    }

    /** Why a page of this run was not written; null while every page was. */
    synchronized RuntimeException writeError() { return writeError; }

    /** Waits until every page handed to the writer is written or failed. */
    synchronized void awaitWrites() {
        boolean interrupted = false;
        while (pagesInFlight > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void skippedUnchanged(int count) { skippedUnchanged += count; }
    /** Items are filled in concurrently: counted from several threads. */
    void vanished() { vanished.incrementAndGet(); }
    long vanishedCount() { return vanished.get(); }
    long skippedUnchanged() { return skippedUnchanged; }
    public synchronized long records() { return records; }
    public synchronized long pages() { return pages; }
    long lastProgressLogMillis() { return lastProgressLogMillis; }
    void lastProgressLogMillis(long millis) { this.lastProgressLogMillis = millis; }
}
