package org.intercomhub.webhook;

import org.intercomhub.record.CanonicalRecord;

import java.util.List;

/**
 * Inbox rows taken for one fan-out: the rows whose records are in {@code records} (marked processed once the
 * fan-out returned), and whether any were due at all. Equal only to itself: the route calls its methods through
 * Camel's simple language, which looks the bean up in a cache by the instance, and a record's own hash would walk
 * every row.
 *
 * @param notifications rows that mapped (some to no records: ping, topics without a table)
 * @param records       their canonical records, in inbox order
 * @param due           rows read from the inbox, mapped or not; 0 ends the draining loop
 */
public record WebhookBatch(List<WebhookInbox.Entry> notifications, List<CanonicalRecord> records, int due) {

    public boolean hasNotifications() {
        return due > 0;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
