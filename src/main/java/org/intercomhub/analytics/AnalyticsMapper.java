package org.intercomhub.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.RowValues;
import org.intercomhub.record.CanonicalRecord;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.intercomhub.fanout.RowValues.epochMillis;
import static org.intercomhub.fanout.RowValues.json;
import static org.intercomhub.fanout.RowValues.text;
import static org.intercomhub.fanout.RowValues.textOf;

/**
 * Canonical records as Amplitude HTTP V2 events. A webhook notification (its first record carries it) becomes
 * {@code [Intercom] <topic>} with the item's scalar fields as event_properties, {@code time} in ms from the
 * notification's created_at and {@code insert_id} = the notification id (so a repeat is dropped by Amplitude). A
 * pulled contact becomes an Identify ({@code $identify} with {@code user_properties.$set}). A track call of the tracking
 * API becomes an event of its own name and scalar properties, its messageId the insert_id. An identify call becomes
 * an Identify of its traits ({@code $identify}, {@code user_properties.$set}); a group call becomes the two events
 * Amplitude's own SDKs send for {@code setGroup} and {@code groupIdentify}: an {@code $identify} putting the user in
 * the group ({@code groups: {<group type>: groupId}}, and the same as a user property, so that plans without the
 * Accounts add-on still see it) and a {@code $groupidentify} setting the group's properties from the call's traits.
 * All go through HTTP V2, which documents {@code $identify} and {@code $groupidentify} as its identification events:
 * one endpoint, the user's identifies and tracks in one request in the order they were sent (the Identify and Group
 * Identify APIs are separate form-encoded endpoints, and user properties apply only to events ingested after them),
 * and V2's per-event 400 and per-user 429 answers. Everything else is not the branch's business and never enters
 * its queue.
 */
public class AnalyticsMapper {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Amplitude refuses these as user ids (its "invalid user id" list), compared case-insensitively. */
    static final Set<String> FORBIDDEN_IDS = Set.of("anonymous", "null", "none", "nil", "undefined", "unknown", "0",
            "-1", "(none)", "(null)", "<nil>", "not applicable", "n/a", "na", "lmao", "empty", "false", "true", "nan",
            "no_user", "guest", "nobody", "00000000-0000-0000-0000-000000000000", "[]", "{}");
    static final int MIN_ID_LENGTH = 5;
    private static final int MAX_PROPERTY_TEXT = 1024;
    private static final Set<String> NOT_PROPERTIES = Set.of("body", "custom_attributes");
    /**
     * The nested JSON columns {@link #map} reads (a tracking identify's or group's {@code traits} too); the others
     * never reach Amplitude.
     */
    private static final Set<String> MAPPED_JSON = Set.of("location", "source", "contacts", "properties", "traits");

    /** The events of one record (one, or two for a group call), or why there are none. */
    public record Mapped(List<ObjectNode> events, String userId, String dropReason) {
        static Mapped drop(String reason) {
            return new Mapped(List.of(), null, reason);
        }

        /** The record's first event, null when dropped. */
        public ObjectNode event() {
            return events.isEmpty() ? null : events.get(0);
        }
    }

    /** Amplitude's group type of a group call's groupId when none is configured. */
    public static final String DEFAULT_GROUP_TYPE = "company";

    private final AnalyticsSettings.UserIdField userIdField;
    private final String groupType;

    public AnalyticsMapper(AnalyticsSettings.UserIdField userIdField) {
        this(userIdField, DEFAULT_GROUP_TYPE);
    }

    public AnalyticsMapper(AnalyticsSettings.UserIdField userIdField, String groupType) {
        this.userIdField = userIdField;
        this.groupType = groupType;
    }

    public boolean accepts(CanonicalRecord record) {
        return record.event() != null || isIdentify(record) || isTrackingProfile(record);
    }

    /** An identify or group call of the tracking API. */
    private static boolean isTrackingProfile(CanonicalRecord record) {
        return record.source() == CanonicalRecord.Source.TRACKING
                && (record.collection().equals("identifies") || record.collection().equals("groups"));
    }

    /** What {@link #map} reads of a record: its scalar columns but body, the JSON columns above, no child rows. */
    public CanonicalRecord queued(CanonicalRecord record) {
        Map<String, Object> row = RowValues.scalarsAnd(record.row(), MAPPED_JSON);
        NOT_PROPERTIES.forEach(row::remove);
        return new CanonicalRecord(record.collection(), record.id(), record.op(), record.source(),
                record.sourceUpdatedAt(), row, Map.of(), record.event());
    }

    private static boolean isIdentify(CanonicalRecord record) {
        return record.source() == CanonicalRecord.Source.PULL && record.collection().equals("contacts")
                && record.op() == CanonicalRecord.Operation.UPSERT;
    }

    public Mapped map(CanonicalRecord record) {
        String userId = userId(record);
        if (userId == null) {
            return Mapped.drop("no valid " + (userIdField == AnalyticsSettings.UserIdField.EMAIL
                    ? "email or user_id" : "user_id or email"));
        }
        if (isTrackingProfile(record)) {
            return new Mapped(profile(record, userId), userId, null);
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("user_id", userId);
        if (record.event() != null && record.source() == CanonicalRecord.Source.TRACKING) {
            // a track call of the tracking API: the app's own event, under its own name and properties
            CanonicalRecord.Event track = record.event();
            event.put("event_type", track.topic());
            if (track.createdAt() != null) {
                event.put("time", track.createdAt() * 1000);
            }
            event.put("insert_id", track.notificationId());
            ObjectNode properties = event.putObject("event_properties");
            JsonNode sent = json(record.row(), "properties");
            if (sent != null && sent.isObject()) {
                sent.fields().forEachRemaining(p -> {
                    if (p.getValue().isValueNode()) {
                        properties.set(p.getKey(), p.getValue());
                    }
                });
            }
        } else if (record.event() != null) {
            CanonicalRecord.Event notification = record.event();
            event.put("event_type", "[Intercom] " + notification.topic());
            Long seconds = notification.createdAt() != null ? notification.createdAt() : record.sourceUpdatedAt();
            if (seconds != null) {
                event.put("time", seconds * 1000);
            }
            event.put("insert_id", notification.notificationId());
            ObjectNode properties = event.putObject("event_properties");
            properties.put("intercom_collection", record.collection());
            properties.put("intercom_id", record.id());
            properties.put("intercom_operation", record.op().name().toLowerCase(Locale.ROOT));
            scalars(record.row(), properties);
        } else {
            event.put("event_type", "$identify");
            Long updated = record.sourceUpdatedAt();
            if (updated != null) {
                event.put("time", updated * 1000);
            }
            event.put("insert_id", "intercom-identify-" + record.id() + "-" + (updated == null ? "" : updated));
            ObjectNode set = event.putObject("user_properties").putObject("$set");
            set.put("intercom_id", record.id());
            scalars(record.row(), set);
            JsonNode location = json(record.row(), "location");
            for (String field : new String[]{"city", "region", "country"}) {
                String value = textOf(location, field);
                if (value != null) {
                    set.put(field, value);
                }
            }
        }
        event.put("platform", "Intercom");
        return new Mapped(List.of(event), userId, null);
    }

    /**
     * An identify call: {@code $identify} with the traits as {@code user_properties.$set}. A group call: an
     * {@code $identify} with {@code groups} and the group as a user property, then a {@code $groupidentify} with the
     * traits as {@code group_properties.$set}. Insert ids from the messageId, so a repeat is dropped by Amplitude.
     */
    private List<ObjectNode> profile(CanonicalRecord record, String userId) {
        Map<String, Object> row = record.row();
        Long millis = epochMillis(row.get("timestamp"));
        JsonNode traits = json(row, "traits");
        if (record.collection().equals("identifies")) {
            ObjectNode identify = base("$identify", userId, millis, record.id());
            ObjectNode set = identify.putObject("user_properties").putObject("$set");
            properties(traits, set);
            return List.of(identify);
        }
        String groupId = text(row, "group_id");
        ObjectNode member = base("$identify", userId, millis, record.id());
        member.putObject("groups").put(groupType, groupId);
        member.putObject("user_properties").putObject("$set").put(groupType, groupId);
        ObjectNode group = base("$groupidentify", userId, millis, record.id() + "-group");
        group.putObject("groups").put(groupType, groupId);
        properties(traits, group.putObject("group_properties").putObject("$set"));
        return List.of(member, group);
    }

    private static ObjectNode base(String type, String userId, Long millis, String insertId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("user_id", userId);
        event.put("event_type", type);
        if (millis != null) {
            event.put("time", millis);
        }
        event.put("insert_id", insertId);
        return event;
    }

    /** The traits as properties: values, arrays and objects as sent (Amplitude keeps up to 40 levels), nulls left out. */
    private static void properties(JsonNode traits, ObjectNode into) {
        if (traits != null && traits.isObject()) {
            traits.fields().forEachRemaining(t -> {
                if (!t.getValue().isNull()) {
                    into.set(t.getKey(), t.getValue());
                }
            });
        }
    }

    /** The item's scalar fields (timestamps as ISO-8601 text); nested objects and long bodies left out. */
    private static void scalars(Map<String, Object> row, ObjectNode into) {
        row.forEach((column, value) -> {
            if (value == null || column.startsWith("_") || NOT_PROPERTIES.contains(column) || column.equals("id")) {
                return;
            }
            if (value instanceof String text) {
                into.put(column, text.length() > MAX_PROPERTY_TEXT ? text.substring(0, MAX_PROPERTY_TEXT) : text);
            } else if (value instanceof Long || value instanceof Integer) {
                into.put(column, ((Number) value).longValue());
            } else if (value instanceof Number number) {
                into.put(column, number.doubleValue());
            } else if (value instanceof Boolean bool) {
                into.put(column, bool);
            } else if (value instanceof Instant instant) {
                into.put(column, instant.toString());
            }
        });
    }

    /** The configured field first, then the other; invalid ids (too short, on Amplitude's list) do not count. */
    String userId(CanonicalRecord record) {
        String userId = valid(userIdOf(record));
        String email = valid(emailOf(record));
        return userIdField == AnalyticsSettings.UserIdField.EMAIL
                ? (email != null ? email : userId)
                : (userId != null ? userId : email);
    }

    static String valid(String id) {
        if (id == null) {
            return null;
        }
        String trimmed = id.trim();
        if (trimmed.length() < MIN_ID_LENGTH || FORBIDDEN_IDS.contains(trimmed.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return trimmed;
    }

    /** Intercom's user id: external_id on contacts, user_id on data events, the first contact's on conversations. */
    private static String userIdOf(CanonicalRecord record) {
        Map<String, Object> row = record.row();
        for (String column : new String[]{"external_id", "user_id"}) {
            String value = text(row, column);
            if (value != null && (record.collection().equals("contacts") || record.collection().equals("events")
                    || column.equals("user_id"))) {
                return value;
            }
        }
        return textOf(firstContact(row), "external_id");
    }

    private static String emailOf(CanonicalRecord record) {
        Map<String, Object> row = record.row();
        String email = text(row, "email");
        if (email != null && (record.collection().equals("contacts") || record.collection().equals("events")
                || record.collection().equals("tracks") || record.collection().equals("identifies"))) {
            return email;
        }
        String contactEmail = textOf(firstContact(row), "email");
        if (contactEmail != null) {
            return contactEmail;
        }
        JsonNode source = json(row, "source");
        return source == null ? null : textOf(source.path("author"), "email");
    }

    /** Conversations and tickets: {@code contacts: {contacts: [{id, external_id}]}} or a plain list. */
    private static JsonNode firstContact(Map<String, Object> row) {
        JsonNode contacts = json(row, "contacts");
        if (contacts == null) {
            return null;
        }
        JsonNode list = contacts.isArray() ? contacts : contacts.path("contacts");
        return list.isArray() && !list.isEmpty() ? list.get(0) : null;
    }
}
