package org.intercomhub.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read from the database for gauges and {@code /sync/status}, kept for a few seconds so that a scrape (and a
 * status page refreshing itself) costs at most one query per interval. {@link #invalidate()} makes the next read
 * fresh: the code that changes what is counted calls it, so a reading is never older than the last change it saw.
 * When the database cannot answer, the last value read stands.
 */
public final class CachedReading<T> {

    private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

    private final Supplier<T> read;
    private final Clock clock;
    private final long ttlMillis;
    private T value;
    private long readAtMillis;
    private boolean fresh;

    public CachedReading(Supplier<T> read, T initial, Clock clock, Duration ttl) {
        this.read = read;
        this.value = initial;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
    }

    public synchronized T get() {
        long now = clock.millis();
        if (!fresh || now - readAtMillis >= ttlMillis) {
            try {
                value = read.get();
                readAtMillis = now;
                fresh = true;
            } catch (RuntimeException e) {
                log.debug("Reading a gauge from the database failed; the last value stands", e);
            }
        }
        return value;
    }

    public synchronized void invalidate() {
        fresh = false;
    }
}
