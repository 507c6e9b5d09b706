package org.intercomhub.record;

import java.util.List;
import java.util.Map;

/**
 * The one shape every record takes on its way to the destinations, whether it was pulled or pushed by a webhook.
 *
 * @param collection      the warehouse table of the record, e.g. {@code contacts}
 * @param id              Intercom's id of the record (the table's key)
 * @param op              upsert, or delete (marks the row {@code _deleted}, never erases it)
 * @param source          where it came from: a pull, a webhook, or a tracking call
 * @param sourceUpdatedAt Intercom's {@code updated_at} in UNIX seconds, or null when the collection has none;
 *                        a row is never overwritten by a record with an older value
 * @param row             column name to value: String, Long, Double, Boolean, {@link java.time.Instant},
 *                        {@link com.fasterxml.jackson.databind.JsonNode} (stored as JSON) or null. Columns that the
 *                        table does not have yet (flattened {@code custom_*} attributes) are added on first sight.
 *                        A delete writes the columns its row names (usually none) beside the {@code _deleted} mark.
 * @param children        child table to the complete set of its rows for this record (each row carries the parent
 *                        key column); a child table named here is replaced for this parent. Empty when none.
 * @param event           the webhook notification this record came from (topic, notification id, created_at), on the
 *                        first record of each notification only; null for pulled records. The warehouse ignores it;
 *                        the analytics branch turns it into an Amplitude event.
 */
public record CanonicalRecord(
        String collection,
        String id,
        Operation op,
        Source source,
        Long sourceUpdatedAt,
        Map<String, Object> row,
        Map<String, List<Map<String, Object>>> children,
        Event event) {

    public enum Operation { UPSERT, DELETE }

    public enum Source {
        /**
         * TRACKING: a call of the Segment-compatible tracking API (tables identifies, groups, tracks); PUSH: a row of a
         * push sync that Intercom refused, kept as a dead letter (never written to the warehouse).
         */
        PULL, WEBHOOK, TRACKING, PUSH;

        public String columnValue() {
            return name().toLowerCase();
        }
    }

    /** The notification behind a webhook record: its topic, id and {@code created_at} (UNIX seconds, may be null). */
    public record Event(String topic, String notificationId, Long createdAt) {
    }

    /** A record without notification metadata (pulled records, and all but the first of a notification). */
    public CanonicalRecord(String collection, String id, Operation op, Source source, Long sourceUpdatedAt,
                           Map<String, Object> row, Map<String, List<Map<String, Object>>> children) {
        this(collection, id, op, source, sourceUpdatedAt, row, children, null);
    }

    public CanonicalRecord withEvent(Event event) {
        return new CanonicalRecord(collection, id, op, source, sourceUpdatedAt, row, children, event);
    }

    public CanonicalRecord {
        row = row == null ? Map.of() : row;
        children = children == null ? Map.of() : children;
    }

    public static CanonicalRecord upsert(String collection, String id, Source source, Long sourceUpdatedAt,
                                         Map<String, Object> row, Map<String, List<Map<String, Object>>> children) {
        return new CanonicalRecord(collection, id, Operation.UPSERT, source, sourceUpdatedAt, row, children);
    }

    public static CanonicalRecord delete(String collection, String id, Source source, Long sourceUpdatedAt) {
        return new CanonicalRecord(collection, id, Operation.DELETE, source, sourceUpdatedAt, Map.of(), Map.of());
    }
}
