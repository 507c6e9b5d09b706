package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import org.intercomhub.record.CanonicalRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tracking calls as canonical records for the warehouse's {@code identifies}, {@code groups} and {@code tracks}
 * tables (Segment's warehouse schema names; one row per call, keyed by messageId) and for the analytics branch (a
 * track is an event named as the call's event, its messageId the insert id).
 */
public final class TrackingRecords {

    private TrackingRecords() {
    }

    /** The call's record, or null for calls that have no table (page, screen, alias). */
    public static CanonicalRecord of(TrackingCall call) {
        String table = TrackingProcessor.TABLES.get(call.type());
        if (table == null) {
            return null;
        }
        JsonNode body = call.body();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", call.messageId());
        row.put("user_id", call.userId());
        row.put("anonymous_id", call.anonymousId());
        Instant receivedAt = instant(body.get("receivedAt"));
        Instant timestamp = instant(body.get("timestamp"));
        row.put("timestamp", timestamp != null ? timestamp : receivedAt);
        row.put("sent_at", instant(body.get("sentAt")));
        row.put("received_at", receivedAt);
        row.put("context", body.get("context"));
        row.put("integrations", body.get("integrations"));
        CanonicalRecord.Event event = null;
        switch (call.type()) {
            case "identify" -> {
                row.put("traits", body.get("traits"));
                row.put("email", IntercomMapping.textOr(body.path("traits"), "email"));
            }
            case "group" -> {
                row.put("group_id", TrackingCall.idText(body.get("groupId")));
                row.put("traits", body.get("traits"));
            }
            default -> {
                String name = IntercomMapping.textOr(body, "event");
                row.put("event", name == null ? null : eventColumn(name));
                row.put("event_text", name);
                row.put("properties", body.get("properties"));
                row.put("email", IntercomMapping.email(body));
                Instant at = timestamp != null ? timestamp : receivedAt;
                event = name == null ? null
                        : new CanonicalRecord.Event(name, call.messageId(), at == null ? null : at.getEpochSecond());
            }
        }
        Long version = receivedAt == null ? null : receivedAt.getEpochSecond();
        return new CanonicalRecord(table, call.messageId(), CanonicalRecord.Operation.UPSERT,
                CanonicalRecord.Source.TRACKING, version, row, Map.of(), event);
    }

    /** Segment's {@code event} column: the event name lower-cased, other characters as underscores. */
    static String eventColumn(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static Instant instant(JsonNode value) {
        Long seconds = IntercomMapping.epochSeconds(value);
        if (seconds == null) {
            return null;
        }
        if (value.isTextual()) {
            try {
                return java.time.OffsetDateTime.parse(value.asText().trim()).toInstant();
            } catch (RuntimeException e) {
                return Instant.ofEpochSecond(seconds);
            }
        }
        return Instant.ofEpochSecond(seconds);
    }
}
