package org.intercomhub.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy of the hub: the initial delay doubled per failed attempt, capped. Intercom requests, the
 * branches' queues, the webhook inbox and the warehouse's write retries all wait by it, each with its own bounds.
 *
 * @param initial the delay after the first failure
 * @param max     no delay is longer
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, not " + initial + " / " + max);
        }
    }

    /** The delay after {@code failures} failed attempts (1 = the first). */
    public Duration delay(int failures) {
        long millis = initial.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        return Duration.ofMillis(millis <= 0 ? max.toMillis() : Math.min(millis, max.toMillis()));
    }

    /**
     * {@link #delay} with equal jitter: at least half of it, the rest at random, so that callers that failed together
     * do not come back together.
     */
    public Duration jittered(int failures) {
        long ceiling = delay(failures).toMillis();
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
