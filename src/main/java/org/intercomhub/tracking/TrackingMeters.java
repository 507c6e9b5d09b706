package org.intercomhub.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.metrics.CachedReading;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tracking API's meters (README "Metrics"), and the {@code tracking} section of {@code GET /sync/status}, which
 * reads them: counters {@code hub.tracking.received} (tag {@code type}: calls stored), {@code hub.tracking.duplicates}
 * (calls sent again, not stored), {@code hub.tracking.rejected} (tag {@code reason}: requests refused),
 * {@code hub.tracking.applied} (tag {@code type}: calls Intercom took), {@code hub.tracking.skipped} (tags
 * {@code type}, {@code reason}: calls with nothing for Intercom), {@code hub.tracking.failed} (tries that failed and
 * are retried), {@code hub.tracking.dead.lettered} (tag {@code type}); gauges {@code hub.tracking.inbox.backlog}
 * (calls not applied yet), {@code hub.tracking.warehouse.backlog} (calls not written to the warehouse yet),
 * {@code hub.tracking.inbox.oldest.age} (seconds) and {@code hub.tracking.attachments.waiting}.
 */
public class TrackingMeters {

    private final MeterRegistry meters;
    private final Clock clock;
    private final Counter duplicates;
    private final Counter failed;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final CachedReading<TrackingInbox.Backlog> backlog;
    private final CachedReading<Long> attachments;
    private final TrackingInbox inbox;

    public TrackingMeters(MeterRegistry meters, Clock clock, TrackingInbox inbox, Duration gaugeCache) {
        this.meters = meters;
        this.clock = clock;
        this.inbox = inbox;
        this.duplicates = Counter.builder("hub.tracking.duplicates")
                .description("Tracking calls sent again (messageId already in the inbox), not stored").register(meters);
        this.failed = Counter.builder("hub.tracking.failed")
                .description("Tries to apply a call to Intercom that failed (retried with backoff)").register(meters);
        this.backlog = new CachedReading<>(() -> inbox.pending(), TrackingInbox.Backlog.NONE, clock, gaugeCache);
        this.attachments = new CachedReading<>(() -> inbox.waitingAttachments(), 0L, clock, gaugeCache);
        Gauge.builder("hub.tracking.inbox.backlog", this, m -> m.backlog.get().rows())
                .description("Tracking calls in the inbox not applied to Intercom yet").register(meters);
        Gauge.builder("hub.tracking.warehouse.backlog", this, m -> m.backlog.get().notFannedOut())
                .description("Tracking calls in the inbox not written to the warehouse (and analytics) yet")
                .register(meters);
        Gauge.builder("hub.tracking.inbox.oldest.age", this, TrackingMeters::oldestAgeSeconds).baseUnit("seconds")
                .description("Seconds since the oldest call not applied yet arrived; 0 when none").register(meters);
        Gauge.builder("hub.tracking.attachments.waiting", this, m -> m.attachments.get())
                .description("Group calls whose user is not in Intercom yet: attachments waiting").register(meters);
    }

    void received(String type, int n) {
        meters.counter("hub.tracking.received", "type", type).increment(n);
        backlog.invalidate();
    }

    void duplicates(int n) {
        duplicates.increment(n);
    }

    void rejected(TrackingRejectedException.Reason reason) {
        meters.counter("hub.tracking.rejected", "reason", reason.label()).increment();
    }

    void applied(String type) {
        meters.counter("hub.tracking.applied", "type", type).increment();
        backlog.invalidate();
    }

    void skipped(String type, String reason) {
        meters.counter("hub.tracking.skipped", "type", type, "reason", reason).increment();
        backlog.invalidate();
    }

    void failed(String error) {
        failed.increment();
        lastError.set(error);
    }

    void deadLettered(String type) {
        meters.counter("hub.tracking.dead.lettered", "type", type).increment();
        backlog.invalidate();
    }

    void attachmentsChanged() {
        attachments.invalidate();
    }

    private double oldestAgeSeconds() {
        Long oldest = backlog.get().oldestReceivedAt();
        return oldest == null ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("received", byTag("hub.tracking.received", "type"));
        snapshot.put("duplicates", (long) duplicates.count());
        snapshot.put("rejected", byTag("hub.tracking.rejected", "reason"));
        snapshot.put("applied", byTag("hub.tracking.applied", "type"));
        snapshot.put("skipped", byTag("hub.tracking.skipped", "reason"));
        snapshot.put("dead_lettered", byTag("hub.tracking.dead.lettered", "type"));
        snapshot.put("failed_attempts", (long) failed.count());
        snapshot.put("last_error", lastError.get());
        TrackingInbox.Backlog inbox = backlog.get();
        snapshot.put("inbox_backlog", inbox.rows());
        snapshot.put("inbox_oldest_age_seconds", (long) oldestAgeSeconds());
        snapshot.put("warehouse_backlog", inbox.notFannedOut());
        snapshot.put("warehouse_held_for_burst", this.inbox.fanoutHeldForBurst());
        snapshot.put("attachments_waiting", attachments.get());
        return snapshot;
    }

    private Map<String, Long> byTag(String name, String tag) {
        Map<String, Long> counts = new TreeMap<>();
        meters.find(name).counters().forEach(c -> counts.merge(c.getId().getTag(tag), (long) c.count(), Long::sum));
        return counts;
    }
}
