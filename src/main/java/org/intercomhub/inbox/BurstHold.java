package org.intercomhub.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Holds an inbox's processing back while rows arrive faster than a rate, so a burst is acknowledged at the speed of
 * the receiving path alone instead of sharing the CPU with its own processing (on two cores the processing, the
 * warehouse writes and PostgreSQL's share of them, cost more than the acknowledgements). The rows are committed
 * before they are acknowledged; only their way into the warehouse waits.
 *
 * <p>Bounded: once processing has been held back for {@code longest} since the inbox was last found empty, it takes
 * rows again and is not held back before it has found the inbox empty. Under a flood that outlasts the bound it runs
 * as if the hold were off, and no row waits more than {@code longest} plus the time the drain takes to reach it.
 *
 * <p>{@link #arrived} is called by request threads; {@link #holdsBack} and {@link #emptied} by the inbox's one
 * processing thread (per node: each node judges its own arrivals).
 */
public final class BurstHold {

    private static final Logger log = LoggerFactory.getLogger(BurstHold.class);
    /** The arrival rate is measured over at least this long. */
    private static final long SAMPLE_MILLIS = 500;

    private final String name;
    private final Clock clock;
    private final int ratePerSecond;
    private final long longestMillis;
    private final LongAdder arrivals = new LongAdder();
    private long sampledAt;
    private long sampledCount;
    private double lastRate;
    /** When processing was first held back since the inbox was last empty; 0 when it was not. */
    private volatile long heldSince;
    private volatile boolean holding;

    /**
     * @param ratePerSecond rows a second from which processing is held back
     * @param longest       the longest it is held back before the inbox is drained; zero: never held back
     */
    public BurstHold(String name, Clock clock, int ratePerSecond, Duration longest) {
        this.name = name;
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.longestMillis = longest.toMillis();
    }

    /** Rows committed to the inbox. */
    public void arrived(int rows) {
        arrivals.add(rows);
    }

    /** True while processing should leave the inbox's rows for later. */
    public boolean holdsBack() {
        if (longestMillis <= 0) {
            return false;
        }
        long now = clock.millis();
        boolean busy = arrivalRate(now) >= ratePerSecond;
        if (busy && heldSince == 0) {
            heldSince = now;
        }
        boolean hold = busy && now - heldSince < longestMillis;
        if (hold != holding) {
            holding = hold;
            if (hold) {
                log.info("{} processing waits while rows arrive at {}/s (at most {} s since the inbox was empty)",
                        name, Math.round(lastRate), longestMillis / 1000);
            } else {
                log.info("{} processing resumes after {} s ({}/s arriving)", name, (now - heldSince) / 1000,
                        Math.round(lastRate));
            }
        }
        return hold;
    }

    /** Processing found nothing to take: the next burst may be held back again. */
    public void emptied() {
        heldSince = 0;
    }

    /** Whether processing was held back when it last looked (for the status page). */
    public boolean holding() {
        return holding;
    }

    private double arrivalRate(long now) {
        long elapsed = now - sampledAt;
        if (elapsed >= SAMPLE_MILLIS) {
            long count = arrivals.sum();
            lastRate = sampledAt == 0 ? 0 : (count - sampledCount) * 1000.0 / elapsed;
            sampledAt = now;
            sampledCount = count;
        }
        return lastRate;
    }
}
