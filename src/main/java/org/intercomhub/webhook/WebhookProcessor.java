package org.intercomhub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.record.CanonicalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous half (routes/intercom-webhook.camel.yaml, route {@code webhook-process}): takes due inbox rows in
 * batches, maps them to canonical records, and marks them processed after the fan-out returned, or failed (retried
 * later with backoff) when it threw. Rows left unprocessed by a crash are simply due at the next start.
 */
public class WebhookProcessor {

    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);
    private static final long PURGE_EVERY_MILLIS = 60 * 60 * 1000L;

    private final WebhookInbox inbox;
    private final WebhookTopics topics;
    private final WebhookMeters meters;
    private final WebhookSettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile long lastPurge;

    public WebhookProcessor(WebhookInbox inbox, WebhookTopics topics, WebhookMeters meters, WebhookSettings settings,
                            ObjectMapper json, Clock clock) {
        this.inbox = inbox;
        this.topics = topics;
        this.meters = meters;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
    }

    /** The next due rows with their records; a row that cannot be mapped is put off with its error. */
    public WebhookBatch nextBatch() {
        purgeWhenDue();
        List<WebhookInbox.Entry> due = inbox.due(settings.batchSize());
        List<WebhookInbox.Entry> mapped = new ArrayList<>(due.size());
        List<CanonicalRecord> records = new ArrayList<>();
        for (WebhookInbox.Entry entry : due) {
            try {
                JsonNode envelope = json.readTree(entry.body());
                List<CanonicalRecord> mappedRecords = topics.toRecords(entry.topic(), entry.createdAt(), envelope);
                for (int i = 0; i < mappedRecords.size(); i++) {
                    // the first record of a notification carries it: one analytics event per notification
                    records.add(i == 0 ? mappedRecords.get(i).withEvent(new CanonicalRecord.Event(
                            WebhookTopics.currentName(entry.topic()), entry.id(), entry.createdAt()))
                            : mappedRecords.get(i));
                }
                mapped.add(entry);
            } catch (Exception e) {
                log.warn("Webhook notification {} ({}) could not be mapped, attempt {}", entry.id(), entry.topic(),
                        entry.attempts() + 1, e);
                inbox.markFailed(entry, e.toString());
                meters.processingFailed(1, e.toString());
            }
        }
        return new WebhookBatch(mapped, records, due.size());
    }

    /** After the fan-out returned: the batch's effects are in every destination. */
    public void processed(WebhookBatch batch) {
        if (!batch.notifications().isEmpty()) {
            inbox.markProcessed(batch.notifications().stream().map(WebhookInbox.Entry::id).toList());
            meters.processed(batch.notifications().size());
        }
    }

    /** The fan-out threw: every row of the batch stays unprocessed and is retried with backoff. */
    public void failed(WebhookBatch batch, Exception error) {
        log.warn("Fan-out of {} webhook notifications failed; they stay in the inbox and are retried: {}",
                batch.notifications().size(), error.toString());
        for (WebhookInbox.Entry entry : batch.notifications()) {
            inbox.markFailed(entry, error.toString());
        }
        meters.processingFailed(batch.notifications().size(), error.toString());
    }

    private void purgeWhenDue() {
        long now = clock.millis();
        if (now - lastPurge >= PURGE_EVERY_MILLIS) {
            lastPurge = now;
            int purged = inbox.purgeProcessedBefore(now - settings.retention().toMillis());
            if (purged > 0) {
                log.info("Dropped {} processed webhook notifications older than {}", purged, settings.retention());
            }
        }
    }
}
