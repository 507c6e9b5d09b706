package org.intercomhub.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.metrics.CachedReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The webhook pipeline's meters (README "Metrics"), and the {@code webhooks} section of {@code GET /sync/status},
 * which reads them: counters {@code hub.webhook.received} (tag {@code topic}), {@code hub.webhook.rejected} (tag
 * {@code reason}), {@code hub.webhook.unknown} (tag {@code topic}: topics this hub does not know),
 * {@code hub.webhook.duplicates}, {@code hub.webhook.processed}, {@code hub.webhook.processing.failures}; gauges
 * {@code hub.webhook.inbox.backlog} (unprocessed rows), {@code hub.webhook.inbox.oldest.age} (seconds since the
 * oldest of them arrived, 0 when none) and {@code hub.webhook.last.received} (epoch seconds, 0 before the first).
 * The section also has {@code received_per_minute}, the last 15 minutes' counts for the status page (not a meter:
 * Prometheus computes rates from the counter itself).
 */
public class WebhookMeters {

    private static final Logger log = LoggerFactory.getLogger(WebhookMeters.class);

    private final MeterRegistry meters;
    private final Clock clock;
    private final Counter duplicates;
    private final Counter processed;
    private final Counter processingFailures;
    private final Set<String> unknownTopicsLogged = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> lastReceivedAt = new AtomicReference<>();
    private final AtomicReference<String> lastProcessingError = new AtomicReference<>();
    private final CachedReading<WebhookInbox.Backlog> backlog;
    private final WebhookInbox inbox;
    /** Notifications accepted per minute, the last 15 minutes (the status page's "webhooks per minute"). */
    private final MinuteCounts perMinute = new MinuteCounts(15);

    public WebhookMeters(MeterRegistry meters, Clock clock, WebhookInbox inbox, Duration gaugeCache) {
        this.meters = meters;
        this.clock = clock;
        this.inbox = inbox;
        this.duplicates = Counter.builder("hub.webhook.duplicates")
                .description("Notifications Intercom delivered again (already in the inbox)").register(meters);
        this.processed = Counter.builder("hub.webhook.processed")
                .description("Notifications processed through the fan-out").register(meters);
        this.processingFailures = Counter.builder("hub.webhook.processing.failures")
                .description("Notification processing attempts that failed (retried later)").register(meters);
        this.backlog = new CachedReading<>(inbox::pending, WebhookInbox.Backlog.NONE, clock, gaugeCache);
        Gauge.builder("hub.webhook.inbox.backlog", this, m -> m.backlog.get().rows())
                .description("Notifications in the inbox not processed yet").register(meters);
        Gauge.builder("hub.webhook.inbox.oldest.age", this, WebhookMeters::oldestAgeSeconds).baseUnit("seconds")
                .description("Seconds since the oldest unprocessed notification arrived; 0 when none")
                .register(meters);
        Gauge.builder("hub.webhook.last.received", lastReceivedAt,
                        at -> at.get() == null ? 0 : at.get().toEpochMilli() / 1000.0).baseUnit("seconds")
                .description("When the last notification was accepted, epoch seconds (0: none since start-up)")
                .register(meters);
    }

    void received(String topic) {
        meters.counter("hub.webhook.received", "topic", topic).increment();
        lastReceivedAt.set(clock.instant());
        perMinute.add(clock.millis());
        backlog.invalidate();
        if (WebhookTopics.effectOf(topic) == WebhookTopics.Effect.UNKNOWN) {
            meters.counter("hub.webhook.unknown", "topic", topic).increment();
            if (unknownTopicsLogged.add(topic)) {
                log.warn("Webhook topic {} is not one this hub knows: acknowledged and kept in the inbox, "
                        + "nothing written to the warehouse (logged once per topic)", topic);
            }
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void rejected(WebhookRejectedException.Reason reason) {
        meters.counter("hub.webhook.rejected", "reason", reason.label()).increment();
    }

    void processed(int notifications) {
        processed.increment(notifications);
        backlog.invalidate();
    }

    void processingFailed(int notifications, String error) {
        processingFailures.increment(notifications);
        lastProcessingError.set(error);
        backlog.invalidate();
    }

    private double oldestAgeSeconds() {
        Long oldest = backlog.get().oldestReceivedAt();
        return oldest == null ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("received", byTag("hub.webhook.received", "topic"));
        snapshot.put("received_per_minute", perMinute.lastMinutes(clock.millis()));
        snapshot.put("last_received_at", lastReceivedAt.get() == null ? null : lastReceivedAt.get().toString());
        snapshot.put("rejected", byTag("hub.webhook.rejected", "reason"));
        snapshot.put("duplicates", (long) duplicates.count());
        snapshot.put("unknown_topics", byTag("hub.webhook.unknown", "topic"));
        snapshot.put("processed", (long) processed.count());
        snapshot.put("processing_failures", (long) processingFailures.count());
        snapshot.put("last_processing_error", lastProcessingError.get());
        WebhookInbox.Backlog inbox = backlog.get();
        snapshot.put("inbox_backlog", inbox.rows());
        snapshot.put("inbox_oldest_age_seconds", (long) oldestAgeSeconds());
        snapshot.put("processing_held_for_burst", this.inbox.heldForBurst());
        return snapshot;
    }

    private Map<String, Long> byTag(String name, String tag) {
        Map<String, Long> counts = new TreeMap<>();
        meters.find(name).counters().forEach(c -> counts.merge(c.getId().getTag(tag), (long) c.count(), Long::sum));
        return counts;
    }
}
