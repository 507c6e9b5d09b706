package org.intercomhub.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.metrics.CachedReading;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

/**
 * Each branch's meters, tagged {@code branch} (README "Metrics"), and the {@code destinations} section of
 * {@code GET /sync/status}, which reads them: counters {@code hub.branch.sent}, {@code hub.branch.failed} (attempts
 * that failed and will be retried or dead-lettered), {@code hub.branch.dead.lettered}, {@code hub.branch.dropped}
 * (also tagged {@code reason}; present from the first drop), {@code hub.branch.throttled}, {@code hub.branch.replayed};
 * gauges {@code hub.branch.queue.depth}, {@code hub.branch.queue.oldest.age} (seconds since the oldest queued row was
 * queued, 0 when none) and {@code hub.branch.dead.letters} (stored now, until replayed).
 */
public class BranchMeters {

    private final MeterRegistry meters;
    private final Map<String, Branch> branches = new ConcurrentSkipListMap<>();
    private volatile QueueReader queues;
    private volatile BooleanSupplier yieldingToPulls = () -> false;

    /** Reads a branch's queue and dead letters from the bookkeeping tables. */
    public record QueueReader(BranchOutbox outbox, DeadLetters deadLetters, Clock clock, Duration cache) {
    }

    private record Reading(BranchOutbox.Queue queue, long deadLetters) {
        static final Reading NONE = new Reading(BranchOutbox.Queue.EMPTY, 0);
    }

    private final class Branch {
        final String name;
        final boolean enabled;
        final Counter sent;
        final Counter failed;
        final Counter deadLettered;
        final Counter throttled;
        final Counter replayed;
        volatile String lastError;
        volatile CachedReading<Reading> reading;

        Branch(String name, boolean enabled) {
            this.name = name;
            this.enabled = enabled;
            this.sent = counter("hub.branch.sent", "Records the destination accepted");
            this.failed = counter("hub.branch.failed", "Delivery attempts that failed (retried or dead-lettered)");
            this.deadLettered = counter("hub.branch.dead.lettered", "Records given up on, stored as dead letters");
            this.throttled = counter("hub.branch.throttled", "Deliveries the destination asked to slow down");
            this.replayed = counter("hub.branch.replayed", "Dead letters replayed");
        }

        private Counter counter(String meter, String description) {
            return Counter.builder(meter).tag("branch", name).description(description).register(meters);
        }

        Reading read() {
            CachedReading<Reading> current = reading;
            return current == null ? Reading.NONE : current.get();
        }

        void changed() {
            CachedReading<Reading> current = reading;
            if (current != null) {
                current.invalidate();
            }
        }
    }

    public BranchMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    public void register(String branch, boolean enabled) {
        Branch b = new Branch(branch, enabled);
        branches.put(branch, b);
        attach(b);
        Gauge.builder("hub.branch.queue.depth", b, x -> x.read().queue().rows()).tag("branch", branch)
                .description("Records queued for the destination").register(meters);
        Gauge.builder("hub.branch.queue.oldest.age", b, this::oldestAgeSeconds).tag("branch", branch)
                .baseUnit("seconds").description("Seconds since the oldest queued record was queued; 0 when none")
                .register(meters);
        Gauge.builder("hub.branch.dead.letters", b, x -> x.read().deadLetters()).tag("branch", branch)
                .description("Dead letters stored now (until replayed)").register(meters);
    }

    /** Where the queue gauges read from: set once the bookkeeping beans exist. */
    public void queuesFrom(QueueReader reader) {
        this.queues = reader;
        branches.values().forEach(this::attach);
    }

    /** Whether the branches wait for the running pulls now (fanout.yield-to-pulls): shown with each branch. */
    public void yieldingFrom(BooleanSupplier yielding) {
        this.yieldingToPulls = yielding;
    }

    private void attach(Branch b) {
        QueueReader reader = queues;
        if (reader != null) {
            b.reading = new CachedReading<>(() -> new Reading(reader.outbox().queue(b.name),
                    reader.deadLetters().count(b.name)), Reading.NONE, reader.clock(), reader.cache());
        }
    }

    private double oldestAgeSeconds(Branch b) {
        Long oldest = b.read().queue().oldestQueuedAt();
        QueueReader reader = queues;
        return oldest == null || reader == null ? 0 : Math.max(0, reader.clock().millis() - oldest) / 1000.0;
    }

    private Branch of(String branch) {
        Branch b = branches.get(branch);
        if (b == null) {
            register(branch, true);
            b = branches.get(branch);
        }
        return b;
    }

    public void sent(String branch, long n) {
        Branch b = of(branch);
        b.sent.increment(n);
        b.changed();
    }

    public void failed(String branch, long n, String error) {
        Branch b = of(branch);
        b.failed.increment(n);
        b.lastError = error;
        b.changed();
    }

    public void deadLettered(String branch, long n) {
        Branch b = of(branch);
        b.deadLettered.increment(n);
        b.changed();
    }

    public void throttled(String branch, long n) {
        Branch b = of(branch);
        b.throttled.increment(n);
        b.changed();
    }

    public void replayed(String branch, long n) {
        Branch b = of(branch);
        b.replayed.increment(n);
        b.changed();
    }

    /** The branch's queue or dead letters changed: the next reading of its gauges goes to the database. */
    public void queueChanged(String branch) {
        of(branch).changed();
    }

    public void dropped(String branch, String reason) {
        Branch b = of(branch);
        Counter.builder("hub.branch.dropped").tag("branch", branch).tag("reason", reason)
                .description("Records the destination cannot take (left out, not retried)").register(meters)
                .increment();
        b.changed();
    }

    public long sent(String branch) {
        return (long) of(branch).sent.count();
    }

    public long dropped(String branch) {
        return droppedBecause(branch).values().stream().mapToLong(Long::longValue).sum();
    }

    public long deadLettered(String branch) {
        return (long) of(branch).deadLettered.count();
    }

    private Map<String, Long> droppedBecause(String branch) {
        Map<String, Long> reasons = new TreeMap<>();
        meters.find("hub.branch.dropped").tag("branch", branch).counters()
                .forEach(c -> reasons.merge(c.getId().getTag("reason"), (long) c.count(), Long::sum));
        return reasons;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("warehouse", Map.of("mode", "synchronous: a page is committed only after the warehouse wrote it"));
        boolean yielding = yieldingToPulls.getAsBoolean();
        branches.forEach((name, b) -> {
            Map<String, Object> branch = new LinkedHashMap<>();
            branch.put("enabled", b.enabled);
            branch.put("sent", (long) b.sent.count());
            branch.put("failed", (long) b.failed.count());
            branch.put("dead_lettered", (long) b.deadLettered.count());
            Map<String, Long> reasons = droppedBecause(name);
            branch.put("dropped", reasons.values().stream().mapToLong(Long::longValue).sum());
            branch.put("dropped_because", reasons);
            branch.put("throttled", (long) b.throttled.count());
            branch.put("replayed", (long) b.replayed.count());
            if (queues != null) {
                Reading reading = b.read();
                branch.put("waiting", reading.queue().rows());
                branch.put("oldest_queued_age_seconds", (long) oldestAgeSeconds(b));
                branch.put("dead_letters_now", reading.deadLetters());
            }
            branch.put("last_error", b.lastError);
            branch.put("yielding_to_pulls", b.enabled && yielding);
            all.put(name, branch);
        });
        return all;
    }
}
