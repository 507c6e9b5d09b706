package org.intercomhub.intercom;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Paces requests of one Intercom app from the {@code X-RateLimit-*} headers, so concurrent pulls use the whole
 * budget without fixed sleeps and without meeting a 429. Share one instance between all clients of the same app.
 *
 * <p>The server's {@code X-RateLimit-Remaining} lags behind requests still in flight, so every permit handed out
 * counts against the last known remaining until its response arrives. When the budget (minus the reserve left for
 * other apps) is spent, callers sleep until {@code X-RateLimit-Reset} plus a small margin for clock skew.
 *
 * <p>Several hub instances on one app: each request also takes one from the {@link SharedBudget} kept in the
 * bookkeeping schema, since this instance's count does not see the others' requests in flight.
 */
public final class RateLimiter {

    static final Duration DEFAULT_RESET_MARGIN = Duration.ofMillis(250);
    /** How long to wait after a 429 that did not say when the window resets. */
    static final Duration DEFAULT_THROTTLE_PAUSE = Duration.ofSeconds(3);
    /** When the window end is unknown (only right after a window turned over), re-check this often. */
    private static final long UNKNOWN_WINDOW_RECHECK_MILLIS = 200;

    private final double reserveFraction;
    private final long resetMarginMillis;
    private final long throttlePauseMillis;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition budgetChanged = lock.newCondition();

    // All guarded by lock.
    private int limit = -1;               // -1: no header seen yet, one probing request at a time
    private int remaining;                // last known remaining in the current window
    private long windowEndMillis;         // 0: unknown (the previous window ended, the new one not yet reported)
    private long staleUpToResetSeconds;   // responses of windows that ended at or before this are ignored
    private int unconfirmed;              // permits handed out whose response has not arrived yet
    private long waitedMillis;
    private long throttledCount;
    private volatile SharedBudget shared = SharedBudget.NONE;

    public RateLimiter() {
        this(0);
    }

    public RateLimiter(double reserveFraction) {
        this(reserveFraction, DEFAULT_RESET_MARGIN, DEFAULT_THROTTLE_PAUSE);
    }

    public RateLimiter(double reserveFraction, Duration resetMargin, Duration throttlePause) {
        if (!(reserveFraction >= 0 && reserveFraction < 1)) {
            throw new IllegalArgumentException("reserveFraction must be in [0, 1), was " + reserveFraction);
        }
        this.reserveFraction = reserveFraction;
        this.resetMarginMillis = resetMargin.toMillis();
        this.throttlePauseMillis = throttlePause.toMillis();
    }

    /** Also paces on the budget shared with the other instances of the cluster. */
    public RateLimiter sharing(SharedBudget budget) {
        this.shared = budget;
        return this;
    }

    /** The budget shared with the other instances ({@link SharedBudget#NONE} on one node). */
    public SharedBudget shared() {
        return shared;
    }

    /** A limiter reserving the share configured in the settings. */
    public static RateLimiter forSettings(IntercomSettings settings) {
        return new RateLimiter(settings.rateLimitReserve());
    }

    /**
     * Blocks until a request may be sent in the current window, then counts it as in flight. Every call must be
     * followed by exactly one {@link #onResponse} or {@link #onNoResponse}.
     */
    public void acquire() throws InterruptedException {
        acquireHere();
        try {
            shared.take();
        } catch (InterruptedException | RuntimeException e) {
            onNoResponse();
            throw e;
        }
    }

    private void acquireHere() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.currentTimeMillis();
                if (windowEndMillis > 0 && now >= windowEndMillis + resetMarginMillis) {
                    // The window is over: a fresh budget, whose end the next response will tell us.
                    staleUpToResetSeconds = windowEndMillis / 1000;
                    windowEndMillis = 0;
                    remaining = limit;
                }
                boolean budgetUnknown = limit < 0 || windowEndMillis == 0;
                if (budgetUnknown ? unconfirmed == 0 : remaining - reserved() - unconfirmed > 0) {
                    // While the budget of this window is unknown (first request, new window), one request probes
                    // it: a burst of concurrent pulls could otherwise overshoot a small budget.
                    unconfirmed++;
                    return;
                }
                long pause = windowEndMillis > 0
                        ? windowEndMillis + resetMarginMillis - now
                        : UNKNOWN_WINDOW_RECHECK_MILLIS;
                long started = System.nanoTime();
                budgetChanged.await(Math.max(1, pause), TimeUnit.MILLISECONDS);
                waitedMillis += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records the budget Intercom reported with a response (any status), releasing the caller's permit.
     * {@code header} gives a response header's first value, null when absent.
     */
    public void onResponse(int status, Function<String, String> header) {
        OptionalLong headerLimit = number(header.apply("X-RateLimit-Limit"));
        OptionalLong headerRemaining = number(header.apply("X-RateLimit-Remaining"));
        OptionalLong headerReset = number(header.apply("X-RateLimit-Reset"));
        lock.lock();
        try {
            unconfirmed = Math.max(0, unconfirmed - 1);
            if (headerLimit.isPresent()) {
                limit = (int) headerLimit.getAsLong();
            }
            if (headerRemaining.isPresent() && headerReset.isPresent()) {
                observe(headerRemaining.getAsLong(), headerReset.getAsLong());
            }
            if (status == 429) {
                throttledCount++;
                if (limit < 0) {
                    limit = headerLimit.isPresent() ? (int) headerLimit.getAsLong() : 1;
                }
                remaining = 0;
                if (headerReset.isEmpty() || headerReset.getAsLong() <= staleUpToResetSeconds) {
                    // No usable reset: pause a few seconds rather than hammer the server.
                    windowEndMillis = Math.max(windowEndMillis, System.currentTimeMillis() + throttlePauseMillis);
                }
            }
            budgetChanged.signalAll();
        } finally {
            lock.unlock();
        }
        shared.report(status, headerRemaining, headerReset);
    }

    /** A header's whole number; empty when absent or not a number (a proxy's garbage must not fail the request). */
    private static OptionalLong number(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private void observe(long reportedRemaining, long resetSeconds) {
        if (resetSeconds <= staleUpToResetSeconds) {
            return; // a late answer from a window that is already over
        }
        long reportedEnd = resetSeconds * 1000;
        if (windowEndMillis == 0 || reportedEnd > windowEndMillis) {
            windowEndMillis = reportedEnd;
            remaining = (int) Math.max(0, reportedRemaining);
        } else if (reportedEnd == windowEndMillis) {
            // Responses of one window can arrive out of order: the smallest remaining is the truest.
            remaining = (int) Math.min(remaining, Math.max(0, reportedRemaining));
        }
    }

    /** Releases the permit of a request that got no response (connection error, timeout). */
    public void onNoResponse() {
        lock.lock();
        try {
            unconfirmed = Math.max(0, unconfirmed - 1);
            budgetChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Requests kept free for other apps: {@code ceil(limit * reserve)}, always leaving at least one for us. */
    private int reserved() {
        int share = (int) Math.ceil(limit * reserveFraction);
        return Math.min(share, Math.max(0, limit - 1));
    }

    /** Requests this app may still send in the current window after the reserve, or -1 while unknown. */
    public int budgetRemaining() {
        lock.lock();
        try {
            return limit < 0 ? -1 : Math.max(0, remaining - reserved() - unconfirmed);
        } finally {
            lock.unlock();
        }
    }

    /** {@code X-RateLimit-Limit} as last reported (requests per window), or -1 while unknown. */
    public int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** Total time callers spent waiting for a window to reset. */
    public long waitedMillis() {
        lock.lock();
        try {
            return waitedMillis;
        } finally {
            lock.unlock();
        }
    }

    /** Number of 429 responses seen: should stay 0 when pacing works. */
    public long throttledCount() {
        lock.lock();
        try {
            return throttledCount;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RateLimiter[limit=" + limit() + ", budgetRemaining=" + budgetRemaining() + ", waitedMillis="
                + waitedMillis() + ", throttled=" + throttledCount() + "]";
    }
}
