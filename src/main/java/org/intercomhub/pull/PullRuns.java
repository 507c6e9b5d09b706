package org.intercomhub.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.intercomhub.intercom.IntercomApiException;
import org.intercomhub.intercom.IntercomClient;
import org.intercomhub.intercom.Page;
import org.intercomhub.intercom.Pagers;
import org.intercomhub.intercom.Pager;
import org.intercomhub.intercom.RateLimiter;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.sync.CheckpointStore;
import org.intercomhub.sync.FailedRunRetries;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.warehouse.AlsoCommitted;
import org.intercomhub.warehouse.WarehouseUpsert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The steps of a collection pull that need code, called by {@code routes/intercom-pull.camel.yaml}: open a run
 * (resuming an unfinished one), fetch a page, fill in what list pages leave out, map to canonical records, commit the
 * checkpoint after the page reached the warehouse, and close the run.
 */
public class PullRuns {

    private static final Logger log = LoggerFactory.getLogger(PullRuns.class);
    /** Contact search matches dates by calendar day: a lower bound one day back cannot miss the checkpoint's day. */
    static final long CALENDAR_DAY_MARGIN_SECONDS = 86_400;
    /**
     * A row stored less than this after its updated_at may have missed a change made later in the same second (or
     * behind a skewed clock): when listed again at the same updated_at it is written again rather than skipped.
     */
    static final Duration SAME_SECOND_SETTLE = Duration.ofSeconds(10);

    /** The Quartz group of the pull routes' jobs (quartz:intercom-pull/<collection>). */
    static final String GROUP = "intercom-pull";

    private final PullCatalog catalog;
    private final IntercomClient client;
    private final RateLimiter rateLimiter;
    private final CheckpointStore checkpoints;
    private final SyncStatusBoard status;
    private final WarehouseUpsert warehouse;
    private final RecordMapper mapper;
    private final Clock clock;
    private final int perPage;
    private final boolean contactNotes;
    private final Duration progressEvery;
    private final FailedRunRetries retries;
    /** Detail calls of one page at once: what the Camel split that filled pages in before ran with (its default pool). */
    static final int DETAIL_CALLS_AT_ONCE = 10;

    /** Threads for detail calls, shared by the runs; each page keeps at most DETAIL_CALLS_AT_ONCE of them busy. */
    private final ExecutorService detailCalls = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pull-detail");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService prefetcher = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pull-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    public PullRuns(PullCatalog catalog, IntercomClient client, RateLimiter rateLimiter, CheckpointStore checkpoints,
                    SyncStatusBoard status, WarehouseUpsert warehouse, RecordMapper mapper, Clock clock,
                    int perPage, boolean contactNotes, Duration progressEvery, FailedRunRetries retries) {
        this.retries = retries;
        this.catalog = catalog;
        this.client = client;
        this.rateLimiter = rateLimiter;
        this.checkpoints = checkpoints;
        this.status = status;
        this.warehouse = warehouse;
        this.mapper = mapper;
        this.clock = clock;
        this.perPage = perPage;
        this.contactNotes = contactNotes;
        this.progressEvery = progressEvery;
    }

    /** Opens a run, or resumes the unfinished one after its last committed page; null when one is already going. */
    public PullRun begin(String collection) {
        PullDefinition definition = catalog.get(collection);
        if (!status.tryStart(collection)) {
            log.info("{}: a run is already going; this trigger is skipped", collection);
            return null;
        }
        try {
            Checkpoint checkpoint = checkpoints.load(collection);
            PullRun run;
            if (checkpoint.runInProgress() && checkpoint.cursor() != null) {
                long since = checkpoint.querySince() == null ? 0 : checkpoint.querySince();
                run = new PullRun(definition, checkpoint, since, checkpoint.runStartedAt(), true,
                        checkpoint.runHighWater());
                run.pageCursor(checkpoint.cursor());
                run.pager(definition.opener().open(client, since, checkpoint.cursor(), perPage));
                log.info("{}: resuming the unfinished run of {} after its last committed page", collection,
                        checkpoint.runStartedAt());
            } else {
                long since = checkpoint.highWater() == null ? 0
                        : Math.max(0, checkpoint.highWater() - CALENDAR_DAY_MARGIN_SECONDS);
                run = new PullRun(definition, checkpoint, since, clock.instant(), false, null);
                checkpoints.save(collection, new Checkpoint(checkpoint.highWater(), since, null, null,
                        run.startedAt()));
                run.pager(definition.opener().open(client, since, null, perPage));
                log.info("{}: {} run started{}", collection, definition.mode().name().toLowerCase().replace('_', ' '),
                        definition.incremental() ? " (since " + Instant.ofEpochSecond(since) + ")" : "");
            }
            return run;
        } catch (RuntimeException e) {
            status.fail(collection, e.getMessage());
            throw e;
        }
    }

    /** The next page's items, minus those the warehouse already has in this version. */
    public List<JsonNode> nextPage(@ExchangeProperty("pull") PullRun run) {
        throwWriteError(run);
        FetchedPage fetched = run.takePrefetched();
        if (fetched == null) {
            fetched = withStoredVersions(run, fetch(run));
        }
        Page page = fetched.page();
        PullDefinition definition = run.definition();
        List<JsonNode> items = new ArrayList<>(page.items());
        // keep the previous cursor when a page has none to offer (the last one): a resume then repeats one page
        if (page.resumeCursor() != null) {
            run.pageCursor(page.resumeCursor());
        }
        run.morePages(!page.last() && run.pager().hasNext());
        if (run.hasMore() && !definition.deletes()) {
            // fetch the next page, and read which of its items the warehouse holds, while this one is filled in and
            // written; its cursor is committed only with it
            run.prefetch(CompletableFuture.supplyAsync(() -> withStoredVersions(run, run.pager().next()), prefetcher));
        }

        if (definition.timestampField() != null) {
            Long newest = null;
            for (JsonNode item : items) {
                long value = item.path(definition.timestampField()).asLong(0);
                newest = newest == null ? value : Math.max(newest, value);
            }
            run.pageHighWater(newest);
        }
        if (definition.deletes()) {
            int before = items.size();
            items.removeIf(item -> item.path(definition.timestampField()).asLong(0) < run.since());
            if (items.size() < before) {
                run.morePages(false); // newest first: the rest were seen by an earlier run
            }
        } else if (definition.incremental()) {
            items = dropUnchanged(run, items, fetched.storedVersions());
        }
        return items;
    }

    /**
     * A page and, for an incremental pull, the versions the warehouse holds of its items. Read with the fetch, on
     * the prefetch thread: the page before may still be being written then, and an item of both pages is written
     * twice at worst (the upsert keeps the newer version), never skipped wrongly.
     */
    record FetchedPage(Page page, Map<String, Long> storedVersions) {
    }

    private FetchedPage withStoredVersions(PullRun run, Page page) {
        PullDefinition definition = run.definition();
        if (!definition.incremental() || definition.deletes() || page.items().isEmpty()) {
            return new FetchedPage(page, Map.of());
        }
        List<String> ids = new ArrayList<>(page.items().size());
        page.items().forEach(item -> ids.add(item.path("id").asText()));
        return new FetchedPage(page, warehouse.storedVersions(definition.table(), ids, SAME_SECOND_SETTLE));
    }

    private Page fetch(PullRun run) {
        try {
            return run.pager().next();
        } catch (IntercomApiException e) {
            if (!run.resumed() || run.pages() > 0 || e.status() != 400) {
                throw e;
            }
            // the saved cursor is no longer accepted: repeat the run's query from its start instead
            log.warn("{}: saved cursor rejected ({}); restarting the run's query from its lower bound",
                    run.collection(), e.getMessage());
            run.pager(run.definition().opener().open(client, run.since(), null, perPage));
            return run.pager().next();
        }
    }

    /** Items the warehouse already holds, settled, at the same or a newer version need no detail calls and no write. */
    private List<JsonNode> dropUnchanged(PullRun run, List<JsonNode> items, Map<String, Long> stored) {
        if (items.isEmpty()) {
            return items;
        }
        List<JsonNode> changed = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            Long version = stored.get(item.path("id").asText());
            if (version == null || item.path("updated_at").asLong(Long.MAX_VALUE) > version) {
                changed.add(item);
            }
        }
        run.skippedUnchanged(items.size() - changed.size());
        return changed;
    }

    /**
     * The page's items as canonical records, in page order, each filled in first with what list and search pages
     * leave out (see {@link #enrich}). Items that need detail calls are filled in concurrently, at most
     * {@link #DETAIL_CALLS_AT_ONCE} at a time (a conversation or a long tag list costs a call each); the rest, most
     * contacts, are mapped here without leaving this thread. One method for the page, not a Camel split: the split's
     * exchange, header copy and three bean calls an item cost the pull more CPU than the mapping itself.
     * The first failed detail call fails the page: no more calls are started for it, and those queued are cancelled.
     */
    public List<CanonicalRecord> records(@ExchangeProperty("pull") PullRun run, @Body List<JsonNode> items) {
        List<CompletableFuture<JsonNode>> filled = new ArrayList<>(items.size());
        Semaphore callSlots = new Semaphore(DETAIL_CALLS_AT_ONCE);
        AtomicBoolean callFailed = new AtomicBoolean();
        try {
            for (JsonNode item : items) {
                if (callFailed.get()) {
                    break; // the page fails at that call (below): no more calls for it
                }
                if (needsDetailCalls(run, item)) {
                    callSlots.acquireUninterruptibly();
                    CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> enrich(run, item), detailCalls);
                    call.whenComplete((result, error) -> {
                        if (error != null) {
                            callFailed.set(true);
                        }
                        callSlots.release();
                    });
                    filled.add(call);
                } else {
                    filled.add(CompletableFuture.completedFuture(enrich(run, item)));
                }
            }
            List<CanonicalRecord> records = new ArrayList<>(items.size());
            for (CompletableFuture<JsonNode> item : filled) {
                JsonNode complete = item.join();
                if (complete != null) { // null: deleted or merged since its page was listed (skipped and counted)
                    records.add(toRecord(run, complete));
                }
            }
            return records;
        } catch (CompletionException e) {
            filled.forEach(item -> item.cancel(false));
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } catch (RuntimeException e) {
            filled.forEach(item -> item.cancel(false));
            throw e;
        }
    }

    /** Whether {@link #enrich} will call Intercom for this item (otherwise it only looks at it). */
    private boolean needsDetailCalls(PullRun run, JsonNode item) {
        return switch (run.definition().name()) {
            case "conversations" -> true;
            case "contacts" -> hasMore(item, "tags") || hasMore(item, "companies") || (contactNotes && hasNotes(item));
            default -> false;
        };
    }

    /** Whether a contact's nested list (tags, companies, notes) has items its page left out. */
    private static boolean hasMore(JsonNode contact, String list) {
        return contact.path(list).path("has_more").asBoolean(false);
    }

    private static boolean hasNotes(JsonNode contact) {
        return contact.path("notes").path("total_count").asLong(0) != 0 || hasMore(contact, "notes");
    }

    /**
     * Fetches what a list or search page leaves out: conversation parts, long nested lists, contact notes. Null when
     * the record was deleted (404) or merged (410 {@code contact_merged}) since the page listed it: it is skipped and
     * counted, and the run goes on; the deletion and merge handling (webhooks, the deleted_conversations pull, the
     * next run) marks its row.
     */
    JsonNode enrich(PullRun run, JsonNode item) {
        String id = item.path("id").asText();
        try {
            return switch (run.definition().name()) {
                case "conversations" -> client.get("/conversations/" + id, Map.of("display_as", "plaintext"));
                case "contacts" -> enrichContact(id, item);
                default -> item;
            };
        } catch (IntercomApiException e) {
            if (e.status() != 404 && e.status() != 410) {
                throw e;
            }
            String reason = e.status() + (e.code() == null ? "" : " " + e.code());
            run.vanished();
            status.vanished(run.collection(), reason);
            log.debug("{}: {} {} is gone since its page was listed ({}); skipped", run.collection(),
                    run.definition().table(), id, reason);
            return null;
        }
    }

    /** Fills in the page's own contact node (parsed for this page only: no copy needed). */
    private JsonNode enrichContact(String id, JsonNode item) {
        ObjectNode contact = (ObjectNode) item;
        if (hasMore(contact, "tags")) {
            replaceList(contact, "tags", readAll(Pagers.single(client, "/contacts/" + id + "/tags", Map.of(), "data")));
        }
        if (hasMore(contact, "companies")) {
            replaceList(contact, "companies", readAll(Pagers.pageNumber(client, "/contacts/" + id + "/companies",
                    Map.of(), "data", perPage, null)));
        }
        if (contactNotes) {
            ArrayNode notes = !hasNotes(contact)
                    ? JsonNodeFactory.instance.arrayNode() // nothing to read: spare the call
                    : readAll(Pagers.pageNumber(client, "/contacts/" + id + "/notes", Map.of(), "data", perPage, null));
            contact.set(RecordMapper.FETCHED_NOTES, notes);
        }
        return contact;
    }

    private static void replaceList(ObjectNode owner, String field, ArrayNode items) {
        ObjectNode list = owner.putObject(field);
        list.put("type", "list");
        list.set("data", items);
        list.put("total_count", items.size());
        list.put("has_more", false);
    }

    private static ArrayNode readAll(Pager pager) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        while (pager.hasNext()) {
            Page page = pager.next();
            page.items().forEach(all::add);
            if (page.last()) {
                break;
            }
        }
        return all;
    }

    private CanonicalRecord toRecord(PullRun run, JsonNode item) {
        PullDefinition definition = run.definition();
        run.recordMapped();
        if (definition.deletes()) {
            return CanonicalRecord.delete(definition.table(), item.path("id").asText(),
                    CanonicalRecord.Source.PULL, item.path(definition.timestampField()).asLong());
        }
        return mapper.toRecord(definition.table(), item, CanonicalRecord.Source.PULL);
    }

    /**
     * Closes the page the route filled in: its checkpoint (after this page) and counts, taken now, go with it to the
     * collection's writer, while the next page is fetched and filled in.
     */
    public PageToWrite closePage(@ExchangeProperty("pull") PullRun run) {
        Checkpoint start = run.startCheckpoint();
        Long pageHighWater = run.pageHighWater();
        Long runHighWater = run.mappedHighWater();
        Long highWater = pageHighWater != null && (runHighWater == null || pageHighWater > runHighWater)
                ? pageHighWater : runHighWater;
        return run.closePage(new Checkpoint(start.highWater(), run.since(), run.pageCursor(), highWater,
                run.startedAt()));
    }

    /**
     * Called by the writer before the page goes to the fan-out: the checkpoint after the page is written in the
     * transaction of the page's warehouse rows (and the branches' queue rows), so it moves past them exactly when
     * they are committed. A page after one that failed is not written: the run resumes from the failed one.
     */
    public void pageCheckpoint(@ExchangeProperty("page") PageToWrite page, Exchange exchange) {
        PullRun run = page.run();
        if (run.writeError() != null) {
            throw new IllegalStateException("not written: an earlier page of this run failed");
        }
        AlsoCommitted.add(exchange, transaction -> checkpoints.save(transaction, run.collection(), page.checkpoint()));
    }

    /** Called once the page's records and its checkpoint are committed: counts and reports the page. */
    public void pageCommitted(@ExchangeProperty("page") PageToWrite page) {
        PullRun run = page.run();
        // counted before the run hears of it: the run's finish, which waits for it, then sees every page counted
        status.page(run.collection(), page.recordCount());
        run.pageCommitted(page);
        long now = System.currentTimeMillis();
        if (now - run.lastProgressLogMillis() >= progressEvery.toMillis()) {
            run.lastProgressLogMillis(now);
            log.info("{}: {} pages, {} records, {} records/s, rate-limit budget {}", run.collection(), run.pages(),
                    run.records(), perSecond(run), budget());
        }
    }

    /** The page was not written: the run stops at its next step and fails with this error. */
    public void pageFailed(PageToWrite page, Exception error) {
        page.run().pageFailed(error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error));
    }

    public void finish(@ExchangeProperty("pull") PullRun run) {
        run.awaitWrites();
        throwWriteError(run);
        PullDefinition definition = run.definition();
        int markedDeleted = 0;
        if (definition.mode() == SyncMode.FULL_REFRESH) {
            markedDeleted = warehouse.markVanished(definition.table(), run.startedAt());
        }
        Long highWater = newest(run.startCheckpoint().highWater(), run.runHighWater());
        checkpoints.save(run.collection(), new Checkpoint(highWater, null, null, null, null));
        run.pager().close();
        log.info("{}: done in {} s: {} pages, {} records written, {} unchanged skipped, {} gone before their detail "
                        + "call skipped, {} marked deleted, {} records/s, rate-limit budget {}", run.collection(),
                Duration.between(run.startedAt(), clock.instant()).toSeconds(), run.pages(), run.records(),
                run.skippedUnchanged(), run.vanishedCount(), markedDeleted, perSecond(run), budget());
        if (run.vanishedCount() > 0) {
            log.info("{}: {} records were deleted or merged between their page and their detail call (by reason: {});"
                    + " skipped, their rows are marked by the deletion and merge handling", run.collection(),
                    run.vanishedCount(), status.of(run.collection()).snapshot(null).skippedVanished());
        }
        status.finish(run.collection());
        retries.succeeded(GROUP, run.collection());
    }

    /** Keeps the checkpoint: the next run resumes after the last committed page. */
    public void fail(PullRun run, Exception error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        run.awaitWrites();
        run.awaitPrefetch();
        run.pager().close(); // gives a scroll's per-app permit back
        status.fail(run.collection(), message);
        log.error("{}: run failed after {} pages ({} records); the next run resumes from the last committed page: {}",
                run.collection(), run.pages(), run.records(), message);
        retries.failed(GROUP, run.collection(), status.failedInARow(run.collection(), retries.failuresToCount()));
    }

    /** A page the writer could not write ends the run with the writer's error. */
    private static void throwWriteError(PullRun run) {
        RuntimeException error = run.writeError();
        if (error != null) {
            throw error;
        }
    }

    private static Long newest(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Long.valueOf(Math.max(a, b));
    }

    private long perSecond(PullRun run) {
        long millis = Math.max(1, Duration.between(run.startedAt(), clock.instant()).toMillis());
        return run.records() * 1000 / millis;
    }

    private String budget() {
        int limit = rateLimiter.limit();
        return limit <= 0 ? "unknown" : rateLimiter.budgetRemaining() + "/" + limit + " per window";
    }

}
