package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /companies/scroll}: first call without {@code scroll_param}, then with the one returned, until a page
 * comes back empty. Intercom returns the same {@code scroll_param} on every page of one scroll (intercom-ruby #452),
 * so a repeated param is normal; a server stuck on one page is caught by its records instead
 * ({@link RepeatedRecordsGuard#acrossListing}: a page of companies all already read in this scroll stops it).
 *
 * <p>Intercom allows one open scroll per app, so the pager holds the app's scroll permit from its first page until
 * the last (or an error, or {@link #close()}); a second scroll in this process waits for it. A scroll cannot be
 * resumed: when Intercom says to restart it, the pager starts over and emits the companies again (callers upsert),
 * at most {@code maxRestarts} times.
 */
public final class ScrollPager extends AbstractPager {

    public static final int DEFAULT_MAX_RESTARTS = 3;
    /** Intercom expires an unused scroll after a minute, so another app's scroll frees up within this. */
    public static final Duration DEFAULT_BUSY_WAIT = Duration.ofSeconds(70);
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ScrollPager.class);

    private final Semaphore permit;
    private final int maxRestarts;
    private final Duration busyWait;
    private final Duration busyPoll;
    private boolean holdingPermit;
    private String scrollParam;
    private int restarts;

    public ScrollPager(IntercomClient client, String path, String itemsField) {
        this(client, path, itemsField, DEFAULT_MAX_RESTARTS, DEFAULT_BUSY_WAIT, DEFAULT_BUSY_POLL);
    }

    public ScrollPager(IntercomClient client, String path, String itemsField, int maxRestarts, Duration busyWait,
                       Duration busyPoll) {
        super(client, path, itemsField, RepeatedRecordsGuard.acrossListing("GET " + path));
        this.permit = ScrollPermits.forApp(client.scrollKey());
        this.maxRestarts = maxRestarts;
        this.busyWait = busyWait;
        this.busyPoll = busyPoll;
    }

    /** How many times Intercom asked to restart this scroll. */
    public int restarts() {
        return restarts;
    }

    @Override
    protected Page fetchNext() {
        acquirePermit();
        try {
            while (true) {
                JsonNode response;
                try {
                    response = scrollParam == null ? open() : client.get(path, Map.of("scroll_param", scrollParam));
                } catch (IntercomApiException e) {
                    if (!e.isScrollRestartRequired()) {
                        throw e;
                    }
                    restarts++;
                    if (restarts > maxRestarts) {
                        throw new IntercomPaginationException("GET " + path + " broke " + restarts
                                + " times (Intercom asked to restart the scroll); giving up", e);
                    }
                    log.warn("Intercom asked to restart the scroll of {} (restart {}/{}); starting over", path,
                            restarts, maxRestarts);
                    scrollParam = null;
                    repeats.forget();
                    continue;
                }
                List<JsonNode> items = items(response);
                if (items.isEmpty()) {
                    releasePermit();
                    return new Page(items, null, true);
                }
                String returned = text(response.get("scroll_param"));
                if (returned == null) {
                    throw new IntercomPaginationException("GET " + path
                            + " returned companies but no scroll_param: cannot continue the scroll");
                }
                scrollParam = returned;
                return new Page(items, null, false);
            }
        } catch (RuntimeException e) {
            releasePermit();
            throw e;
        }
    }

    /** Starts a scroll, waiting while Intercom reports that one is already open (another process or app user). */
    private JsonNode open() {
        long deadline = System.nanoTime() + busyWait.toNanos();
        while (true) {
            try {
                return client.get(path, Map.of());
            } catch (IntercomApiException e) {
                if (!isScrollAlreadyOpen(e) || System.nanoTime() >= deadline) {
                    throw e;
                }
                log.info("A scroll of {} is already open for this app; retrying in {}", path, busyPoll);
                sleep(busyPoll);
            }
        }
    }

    private static boolean isScrollAlreadyOpen(IntercomApiException e) {
        if (e.status() != 400 && e.status() != 409) {
            return false;
        }
        String said = ((e.code() == null ? "" : e.code()) + " " + (e.apiMessage() == null ? "" : e.apiMessage()))
                .toLowerCase(Locale.ROOT);
        return said.contains("scroll");
    }

    private void acquirePermit() {
        if (holdingPermit) {
            return;
        }
        try {
            permit.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomException("Interrupted while waiting for another scroll of " + path + " to finish", e);
        }
        holdingPermit = true;
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            permit.release();
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomException("Interrupted while waiting to open a scroll of " + path, e);
        }
    }

    /** Gives the permit back when the caller stops before the end of the scroll. */
    @Override
    public void close() {
        releasePermit();
    }
}
