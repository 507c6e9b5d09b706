package org.intercomhub.sandbox;

import java.util.UUID;

/**
 * The single open companies scroll of the app. A scroll expires after one minute unused; while one is open and
 * fresh, starting another is refused. As Intercom does, one scroll_param serves the whole scroll: every call with
 * it returns the next page, and the end is an empty page, which closes the scroll.
 */
final class CompanyScroll {

    static final long EXPIRY_MILLIS = 60_000;
    static final int PAGE_SIZE = 50;

    /** What to serve: company indexes [from, to) of the live ordering, page number, and the param to return. */
    record Step(int from, int to, int pageNumber, String scrollParam, boolean end) {
    }

    private String param;
    private int offset;
    private int pageNumber;
    private long lastUsedMillis;

    synchronized boolean isOpen(long nowMillis) {
        return param != null && nowMillis - lastUsedMillis < EXPIRY_MILLIS;
    }

    synchronized int openCount(long nowMillis) {
        return isOpen(nowMillis) ? 1 : 0;
    }

    /**
     * Advances the scroll for a request with the given param (null = start) over `total` companies.
     * Throws the Intercom-style errors for a concurrent start or an unknown/expired param.
     */
    synchronized Step next(String requested, int total, long nowMillis, boolean stuck) {
        if (requested == null || requested.isEmpty()) {
            if (isOpen(nowMillis)) {
                throw ApiException.badRequest("scroll_exists",
                        "scroll already exists for this workspace. Please ensure to include scroll param");
            }
            param = UUID.randomUUID().toString();
            offset = 0;
            pageNumber = 0;
        } else if (!requested.equals(param) || !isOpen(nowMillis)) {
            throw ApiException.notFound("not_found", "scroll_param not found or expired; start a new scroll");
        }
        lastUsedMillis = nowMillis;
        if (stuck && pageNumber > 0) {
            // The failure a client must survive (a caching proxy, a broken server): the page just served, again.
            int from = Math.max(0, offset - PAGE_SIZE);
            return new Step(from, Math.min(total, from + PAGE_SIZE), pageNumber, param, false);
        }
        pageNumber++;
        int from = offset;
        int to = Math.min(total, offset + PAGE_SIZE);
        if (from >= to) {
            String last = param;
            close();
            return new Step(from, from, pageNumber, last, true);
        }
        offset = to;
        return new Step(from, to, pageNumber, param, false);
    }

    synchronized void close() {
        param = null;
    }
}
