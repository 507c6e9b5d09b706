package org.intercomhub.intercom;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The rate budget of one Intercom app as every hub instance on the same bookkeeping schema sees it
 * (org.intercomhub.cluster.SharedRateBudget), consulted by {@link RateLimiter} after its own pacing. {@link #NONE} on
 * a single node, where the limiter's own count is the whole truth.
 */
public interface SharedBudget {

    SharedBudget NONE = new SharedBudget() {
        @Override
        public void take() {
        }

        @Override
        public void report(int status, OptionalLong remaining, OptionalLong resetEpochSecond) {
        }
    };

    /** Blocks until the app's shared budget has a request left in the current window, and takes it. */
    void take() throws InterruptedException;

    /** What Intercom reported with a response ({@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}). */
    void report(int status, OptionalLong remaining, OptionalLong resetEpochSecond);

    /** The shared budget as it stands, for the status answer; null when there is none (one node). */
    default Map<String, Object> status() {
        return null;
    }

    /** Requests the instances together may still send in the current window; -1 while unknown or not shared. */
    default long remaining() {
        return -1;
    }
}
