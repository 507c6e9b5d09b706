package org.intercomhub.inbox;

import java.time.Clock;

/**
 * Where a reader of an inbox table starts: past the rows it found done when it last looked. Rows done since stay in
 * the table's indexes as dead entries until a vacuum, and a reader that walked them from the start each time paid
 * milliseconds a read after a burst. What the floor can step over (a row committed after later ones, a lease that ran
 * out, a retry come due) is found by reading from the start again every {@link #RESCAN_MILLIS}. One reader per floor.
 */
public final class ReadFloor {

    /** How often a reader starts from the beginning again. */
    public static final long RESCAN_MILLIS = 10_000;

    private final Clock clock;
    private volatile long floor;
    private volatile long rescanAt;

    public ReadFloor(Clock clock) {
        this.clock = clock;
    }

    /** Where this read starts: the floor, or 0 when a rescan is due. */
    public long from() {
        long now = clock.millis();
        if (now >= rescanAt) {
            floor = 0;
            rescanAt = now + RESCAN_MILLIS;
        }
        return floor;
    }

    /** The next read starts from the beginning: rows below the floor are due again (a claim was given back). */
    public void startOver() {
        rescanAt = 0;
    }

    /** Nothing below {@code value} needs reading again until the next rescan. */
    public void raise(long value) {
        floor = Math.max(floor, value);
    }
}
