package org.intercomhub.sandbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Faults to inject into API answers (control endpoints under /sandbox/ are never affected). Thread-safe; each
 * counted fault is consumed by the requests it hits, in arrival order.
 */
public final class SandboxFaults {

    private static final class PrefixRule {
        final String prefix;
        int passFirst;
        int remaining;
        final int status;

        PrefixRule(String prefix, int passFirst, int remaining, int status) {
            this.prefix = prefix;
            this.passFirst = passFirst;
            this.remaining = remaining;
            this.status = status;
        }
    }

    private int failRemaining;
    private int failStatus;
    private final List<PrefixRule> prefixRules = new ArrayList<>();
    private int dropRemaining;
    private volatile long latencyMillis;
    private final Set<Integer> scrollPagesToFail = new HashSet<>();
    private volatile boolean stuckScroll;
    private final Set<String> withheldPermissions = new HashSet<>();
    /** Contact id → the status its detail calls answer (404 deleted, 410 merged) while lists still show it. */
    private final java.util.Map<String, Integer> goneContacts = new java.util.HashMap<>();

    /** The next n API requests are answered with this 5xx status and an error body. */
    public synchronized SandboxFaults failNext(int n, int status) {
        require5xx(status);
        failRemaining = n;
        failStatus = status;
        return this;
    }

    /** The next n requests whose path starts with pathPrefix (e.g. "/contacts/search") get this 5xx status. */
    public synchronized SandboxFaults failNextMatching(String pathPrefix, int n, int status) {
        require5xx(status);
        return failMatchingAfter(pathPrefix, 0, n, status);
    }

    /**
     * After {@code passFirst} requests whose path starts with pathPrefix have been answered normally, the next n such
     * requests get this 5xx status: a server that breaks down in the middle of a run.
     */
    public synchronized SandboxFaults failMatchingAfter(String pathPrefix, int passFirst, int n, int status) {
        require5xx(status);
        prefixRules.add(new PrefixRule(pathPrefix, passFirst, n, status));
        return this;
    }

    /** The next n API requests have their connection closed without any response. */
    public synchronized SandboxFaults dropNext(int n) {
        dropRemaining = n;
        return this;
    }

    /** Every API request waits this long before being answered (0 = none). */
    public SandboxFaults latencyMillis(long millis) {
        latencyMillis = Math.max(0, millis);
        return this;
    }

    /** Page number k (1 = first page) of the next scroll answers 500 "…restart the scroll operation." once. */
    public synchronized SandboxFaults failScrollOnce(int pageNumber) {
        scrollPagesToFail.add(pageNumber);
        return this;
    }

    /**
     * While on, every scroll call serves the page it served last, forever (what looped Airbyte's companies sync: a
     * request cache in front of the constant scroll_param). The param repeating is normal; the page repeating is not.
     */
    public SandboxFaults stickScroll(boolean on) {
        stuckScroll = on;
        return this;
    }

    /** Requests whose path starts with pathPrefix answer 403, as for an app installed without that permission. */
    public synchronized SandboxFaults withholdPermission(String pathPrefix) {
        withheldPermissions.add(pathPrefix);
        return this;
    }

    /**
     * The contact is deleted ({@code merged} false: 404 {@code not_found}) or merged into another (410
     * {@code contact_merged}) after lists and search have listed it: {@code GET /contacts/{id}} and every
     * {@code /contacts/{id}/...} call answer so, while list and search pages (whose index lags) still show it.
     */
    public synchronized SandboxFaults goneAfterListing(String contactId, boolean merged) {
        goneContacts.put(contactId, merged ? 410 : 404);
        return this;
    }

    /** The status a detail call of a contact gone after listing answers, or 0. */
    synchronized int goneStatus(String path) {
        if (goneContacts.isEmpty() || !path.startsWith("/contacts/")) {
            return 0;
        }
        int end = path.indexOf('/', "/contacts/".length());
        String id = path.substring("/contacts/".length(), end < 0 ? path.length() : end);
        return goneContacts.getOrDefault(id, 0);
    }

    synchronized boolean forbidden(String path) {
        return withheldPermissions.stream().anyMatch(path::startsWith);
    }

    public synchronized void reset() {
        withheldPermissions.clear();
        goneContacts.clear();
        failRemaining = 0;
        prefixRules.clear();
        dropRemaining = 0;
        latencyMillis = 0;
        scrollPagesToFail.clear();
        stuckScroll = false;
    }

    long latency() { return latencyMillis; }

    boolean scrollStuck() { return stuckScroll; }

    synchronized boolean consumeDrop() {
        if (dropRemaining > 0) {
            dropRemaining--;
            return true;
        }
        return false;
    }

    /** The 5xx status to answer this request with, or 0. */
    synchronized int consumeFailure(String path) {
        if (failRemaining > 0) {
            failRemaining--;
            return failStatus;
        }
        for (Iterator<PrefixRule> it = prefixRules.iterator(); it.hasNext(); ) {
            PrefixRule rule = it.next();
            if (path.startsWith(rule.prefix)) {
                if (rule.passFirst > 0) {
                    rule.passFirst--;
                    return 0;
                }
                rule.remaining--;
                if (rule.remaining <= 0) {
                    it.remove();
                }
                return rule.status;
            }
        }
        return 0;
    }

    synchronized boolean consumeScrollFailure(int pageNumber) {
        return scrollPagesToFail.remove(pageNumber);
    }

    private static void require5xx(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("injected failures are 5xx statuses, not " + status);
        }
    }
}
