package org.intercomhub.sandbox;

import java.util.function.Supplier;
import java.time.Clock;

/**
 * Intercom's rate limit: a budget per fixed 10-second window. With a limit of 0 the sandbox is unlimited but still
 * sends the headers, announcing {@value #UNLIMITED_ANNOUNCED} per window so clients that pace themselves on the
 * headers never slow down.
 */
final class RateLimitWindow {

    static final int UNLIMITED_ANNOUNCED = 100_000;
    static final long WINDOW_MILLIS = 10_000;

    /** Outcome for one request: whether it may proceed, and the header values. */
    record Decision(boolean allowed, int limit, int remaining, long resetEpochSecond) {
    }

    private final Supplier<Clock> clock;
    private volatile int limit;
    private long windowStart = Long.MIN_VALUE;
    private int used;

    RateLimitWindow(int limit, Supplier<Clock> clock) {
        this.limit = limit;
        this.clock = clock;
    }

    void setLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0");
        }
        this.limit = limit;
    }

    int limit() { return limit; }

    synchronized Decision acquire() {
        long now = clock.get().millis();
        long start = now - Math.floorMod(now, WINDOW_MILLIS);
        if (start != windowStart) {
            windowStart = start;
            used = 0;
        }
        long reset = (start + WINDOW_MILLIS) / 1000;
        int budget = limit == 0 ? UNLIMITED_ANNOUNCED : limit;
        if (limit > 0 && used >= budget) {
            return new Decision(false, budget, 0, reset);
        }
        used++;
        return new Decision(true, budget, Math.max(0, budget - used), reset);
    }
}
