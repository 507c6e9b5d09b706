package org.intercomhub.webhook;

import org.intercomhub.record.CanonicalRecord;

import java.util.List;

/**
 * Inbox rows taken for one fan-out: the rows whose records are in {@code records} (marked processed once the
 * fan-out returned), and whether any were due at all. A class, not a record: the route calls its methods through
 * Camel's simple language, which caches bean information by the instance, and a record's hash would walk every row.
 */
public final class WebhookBatch {

    private final List<WebhookInbox.Entry> notifications;
    private final List<CanonicalRecord> records;
    private final int due;

    /**
     * @param notifications rows that mapped (some to no records: ping, topics without a table)
     * @param records       their canonical records, in inbox order
     * @param due           rows read from the inbox, mapped or not; 0 ends the draining loop
     */
    public WebhookBatch(List<WebhookInbox.Entry> notifications, List<CanonicalRecord> records, int due) {
        this.notifications = notifications;
        this.records = records;
        this.due = due;
    }

    public List<WebhookInbox.Entry> notifications() {
        return notifications;
    }

    public List<CanonicalRecord> records() {
        return records;
    }

    public int due() {
        return due;
    }

    public boolean hasNotifications() {
        return due > 0;
    }
}
