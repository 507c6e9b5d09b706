package org.intercomhub.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters for the {@code webhooks} section of {@code GET /sync/status}, since this instance started. */
public class WebhookStats {

    private static final Logger log = LoggerFactory.getLogger(WebhookStats.class);

    private final Map<String, LongAdder> receivedByTopic = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejectedByReason = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unknownTopics = new ConcurrentHashMap<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder processed = new LongAdder();
    private final LongAdder processingFailures = new LongAdder();
    private final AtomicReference<Instant> lastReceivedAt = new AtomicReference<>();
    private final AtomicReference<String> lastProcessingError = new AtomicReference<>();
    private final AtomicLong lastBacklog = new AtomicLong();
    private final Clock clock;
    private volatile LongSupplier backlog = () -> 0;

    public WebhookStats(Clock clock) {
        this.clock = clock;
    }

    void backlogFrom(LongSupplier backlog) {
        this.backlog = backlog;
    }

    void received(String topic) {
        receivedByTopic.computeIfAbsent(topic, t -> new LongAdder()).increment();
        lastReceivedAt.set(clock.instant());
        if (WebhookTopics.effectOf(topic) == WebhookTopics.Effect.UNKNOWN) {
            unknownTopics.computeIfAbsent(topic, t -> {
                log.warn("Webhook topic {} is not one this hub knows: acknowledged and kept in the inbox, "
                        + "nothing written to the warehouse (logged once per topic)", t);
                return new LongAdder();
            }).increment();
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void rejected(WebhookRejectedException.Reason reason) {
        rejectedByReason.computeIfAbsent(reason.label(), r -> new LongAdder()).increment();
    }

    void processed(int notifications) {
        processed.add(notifications);
    }

    void processingFailed(int notifications, String error) {
        processingFailures.add(notifications);
        lastProcessingError.set(error);
    }


    public Map<String, Object> snapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("received", sums(receivedByTopic));
        snapshot.put("last_received_at", lastReceivedAt.get() == null ? null : lastReceivedAt.get().toString());
        snapshot.put("rejected", sums(rejectedByReason));
        snapshot.put("duplicates", duplicates.sum());
        snapshot.put("unknown_topics", sums(unknownTopics));
        snapshot.put("processed", processed.sum());
        snapshot.put("processing_failures", processingFailures.sum());
        snapshot.put("last_processing_error", lastProcessingError.get());
        snapshot.put("inbox_backlog", currentBacklog());
        return snapshot;
    }

    /** The last value seen if the database cannot be asked right now: the status page must still answer. */
    private long currentBacklog() {
        try {
            lastBacklog.set(backlog.getAsLong());
        } catch (RuntimeException e) {
            log.debug("Reading the webhook inbox backlog failed", e);
        }
        return lastBacklog.get();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((key, count) -> sums.put(key, count.sum()));
        return sums;
    }
}
