package org.intercomhub.fanout;

import java.time.Duration;

/**
 * What became of one record a branch tried to deliver.
 *
 * @param kind   delivered; dropped (will never be sendable: no user id, no key; counted); retry (a transient failure:
 *               counts as an attempt, backoff, dead letter after the last attempt); paused (throttled: tried again
 *               after {@code delay}, not counted as an attempt); dead (a permanent refusal: dead letter now)
 * @param detail why, for dropped, retry, paused and dead
 * @param delay  for paused (and retry when the endpoint named one, e.g. Retry-After): the earliest next try
 */
public record Outcome(Kind kind, String detail, Duration delay) {

    public enum Kind { DELIVERED, DROPPED, RETRY, PAUSED, DEAD }

    private static final Outcome DELIVERED = new Outcome(Kind.DELIVERED, null, null);

    public static Outcome delivered() {
        return DELIVERED;
    }

    public static Outcome dropped(String reason) {
        return new Outcome(Kind.DROPPED, reason, null);
    }

    public static Outcome retry(String error) {
        return new Outcome(Kind.RETRY, error, null);
    }

    public static Outcome paused(String why, Duration delay) {
        return new Outcome(Kind.PAUSED, why, delay);
    }

    public static Outcome dead(String error) {
        return new Outcome(Kind.DEAD, error, null);
    }
}
