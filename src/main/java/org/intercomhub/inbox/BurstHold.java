package org.intercomhub.inbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Holds an inbox's processing back during a burst, so the burst is acknowledged at the speed of the receiving path
 * alone instead of sharing the CPU with its own processing (on two cores the processing, the warehouse writes and
 * PostgreSQL's share of them, cost more than the acknowledgements). The rows are committed before they are
 * acknowledged; only their way into the warehouse waits.
 *
 * <p>A burst is either rows arriving faster than a rate, or requests queueing for their commit: on average
 * {@value #SATURATED_STORING} or more requests storing at once, which is the receiving path at its limit whatever the
 * machine (a slow one never reaches the rate: in the bench the tracking API topped out at 500-700 calls a second on a
 * slow day, below the 1,000 a second default, with its requests waiting at the commit). Once held for queueing at some
 * rate, the hold lasts while rows keep arriving at half that rate, since the hold itself empties the queue.
 *
 * <p>Bounded: once processing has been held back for {@code longest} since the inbox was last found empty, it takes
 * rows again and is not held back before it has found the inbox empty. Under a flood that outlasts the bound it runs
 * as if the hold were off, and no row waits more than {@code longest} plus the time the drain takes to reach it.
 *
 * <p>{@link #storing} is called by request threads; {@link #holdsBack} and {@link #emptied} by the inbox's one
 * processing thread (per node: each node judges its own arrivals).
 */
public final class BurstHold {

    private static final Logger log = LoggerFactory.getLogger(BurstHold.class);
    /** The arrival rate is measured over at least this long. */
    private static final long SAMPLE_MILLIS = 500;
    /**
     * Requests storing at once, on average over a sample, that mean they queue for their commit: a commit takes a
     * millisecond or a few, so at a few hundred requests a second one or two store at once.
     */
    static final int SATURATED_STORING = 8;
    /** Requests a sample needs before their queueing counts (a handful of slow commits is not a burst). */
    private static final int SATURATED_MIN_REQUESTS = 16;

    private final String name;
    private final Clock clock;
    private final int ratePerSecond;
    private final long longestMillis;
    private final LongAdder arrivals = new LongAdder();
    private final AtomicInteger storingNow = new AtomicInteger();
    /** Requests that began storing, and the sum of how many were storing (themselves included) as each began. */
    private final LongAdder requests = new LongAdder();
    private final LongAdder storingSeen = new LongAdder();
    private long sampledAt;
    private long sampledCount;
    private long sampledRequests;
    private long sampledStoring;
    private double lastRate;
    private double lastStoring;
    /** The arrival rate when queueing began the hold; 0 when it did not. */
    private double queueingRate;
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

    /**
     * Runs a request's commit of its rows into the inbox, counting it among those storing meanwhile, and the rows it
     * returns (those stored) as arrived.
     */
    public <T> List<T> storing(Supplier<List<T>> commit) {
        requests.increment();
        storingSeen.add(storingNow.incrementAndGet());
        List<T> stored = List.of();
        try {
            stored = commit.get();
            return stored;
        } finally {
            storingNow.decrementAndGet();
            arrivals.add(stored.size());
        }
    }

    /** True while processing should leave the inbox's rows for later. */
    public boolean holdsBack() {
        if (longestMillis <= 0) {
            return false;
        }
        long now = clock.millis();
        sample(now);
        boolean queueing = lastStoring >= SATURATED_STORING;
        if (queueing && queueingRate == 0) {
            queueingRate = Math.max(lastRate, 1);
        }
        boolean busy = lastRate >= ratePerSecond || queueing || (queueingRate > 0 && lastRate >= queueingRate / 2);
        if (busy && heldSince == 0) {
            heldSince = now;
        }
        boolean hold = busy && now - heldSince < longestMillis;
        if (!hold) {
            queueingRate = 0;
        }
        if (hold != holding) {
            holding = hold;
            if (hold) {
                log.info("{} processing waits while rows arrive at {}/s, {} requests storing at once (at most {} s"
                        + " since the inbox was empty)", name, Math.round(lastRate), Math.round(lastStoring),
                        longestMillis / 1000);
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

    private void sample(long now) {
        long elapsed = now - sampledAt;
        if (elapsed < SAMPLE_MILLIS) {
            return;
        }
        long count = arrivals.sum();
        long began = requests.sum();
        long seen = storingSeen.sum();
        boolean first = sampledAt == 0;
        lastRate = first ? 0 : (count - sampledCount) * 1000.0 / elapsed;
        long sampleRequests = began - sampledRequests;
        lastStoring = first || sampleRequests < SATURATED_MIN_REQUESTS ? 0
                : (seen - sampledStoring) / (double) sampleRequests;
        sampledAt = now;
        sampledCount = count;
        sampledRequests = began;
        sampledStoring = seen;
    }
}
