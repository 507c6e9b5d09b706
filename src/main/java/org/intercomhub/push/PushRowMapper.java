package org.intercomhub.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.IntercomWriter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a model row (column label → JDBC value) into what Intercom receives. Columns named as Intercom's standard
 * fields map to them (compared case-insensitively, since H2 and Oracle-style databases upper-case unquoted labels);
 * any other column of a contact or company sync is a custom attribute of that name, as written; a {@code company_id}
 * column of a contact sync is the company to attach to. Timestamps of any SQL type, and ISO-8601 text in a time
 * field, become Intercom's epoch seconds; a timestamp without a time zone is read as UTC.
 */
public final class PushRowMapper {

    static final Set<String> CONTACT_FIELDS = Set.of("email", "external_id", "name", "phone", "role", "avatar",
            "signed_up_at", "last_seen_at", "owner_id", "unsubscribed_from_emails");
    static final Set<String> COMPANY_FIELDS = Set.of("company_id", "name", "plan", "size", "website", "industry",
            "monthly_spend", "remote_created_at");
    static final Set<String> TIME_FIELDS = Set.of("signed_up_at", "last_seen_at", "remote_created_at", "created_at");
    /** Event columns naming the contact, with the field Intercom's {@code POST /events} takes each as. */
    static final Map<String, String> EVENT_CONTACT = Map.of("user_id", "user_id", "email", "email",
            "intercom_user_id", "id");
    static final String METADATA_PREFIX = "metadata_";

    private final PushDefinition sync;
    private final ObjectMapper json;

    public PushRowMapper(PushDefinition sync, ObjectMapper json) {
        this.sync = sync;
        this.json = json;
    }

    public PushRow map(Map<String, Object> row) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, Object> standard = new LinkedHashMap<>();
        Set<String> known = sync.object() == PushObject.COMPANY ? COMPANY_FIELDS
                : sync.object() == PushObject.EVENT ? Set.of() : CONTACT_FIELDS;
        row.forEach((label, value) -> {
            String lower = label.toLowerCase(Locale.ROOT);
            Object plain = plain(value);
            if (known.contains(lower) || lower.equals(sync.match()) || sync.object() == PushObject.EVENT
                    || (sync.object().isContact() && lower.equals("company_id"))) {
                standard.put(lower, plain);
            } else {
                columns.put(label, plain);
            }
        });
        Object keyValue = standard.get(sync.match());
        String key = keyValue == null ? null : keyValue.toString().strip();
        if (!standard.containsKey(sync.match())) {
            return PushRow.rejected(null, "the model has no " + sync.match() + " column to match on");
        }
        if (key == null || key.isEmpty()) {
            return PushRow.rejected(null, "the " + sync.match() + " column is empty");
        }
        try {
            return switch (sync.object()) {
                case EVENT -> event(key, standard);
                case COMPANY -> record(key, standard, columns, null);
                default -> record(key, standard, columns, text(standard.remove("company_id")));
            };
        } catch (IllegalArgumentException e) {
            return PushRow.rejected(key, e.getMessage());
        }
    }

    private PushRow record(String key, Map<String, Object> standard, Map<String, Object> custom, String companyId) {
        ObjectNode body = json.createObjectNode();
        if (sync.object().isContact() && sync.object().role() != null) {
            standard.put("role", sync.object().role());
        }
        if (sync.object().isContact() && sync.match().equals("id")) {
            standard.remove("id"); // the Intercom id is the address, not a field to write
        }
        standard.forEach((field, value) -> put(body, field, TIME_FIELDS.contains(field) ? epochSeconds(field, value)
                : value));
        ObjectNode customAttributes = json.createObjectNode();
        Map<String, String> attributes = new LinkedHashMap<>();
        custom.forEach((name, value) -> {
            Object sent = value instanceof Temporal || value instanceof java.util.Date ? epochSeconds(name, value) : value;
            put(customAttributes, name, sent);
            if (value != null) {
                attributes.put(name, dataType(value));
            } else if (sync.syncNulls()) {
                attributes.put(name, null);
            }
        });
        if (!customAttributes.isEmpty()) {
            body.set("custom_attributes", customAttributes);
        }
        return new PushRow(key, body, companyId, attributes, hash(body, companyId), null);
    }

    private PushRow event(String key, Map<String, Object> columns) {
        ObjectNode body = json.createObjectNode();
        ObjectNode metadata = json.createObjectNode();
        List<String> unknown = new ArrayList<>();
        String contact = null;
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            String name = column.getKey();
            Object value = column.getValue();
            if (name.equals("event_id")) {
                continue;
            } else if (name.equals("event_name")) {
                body.put("event_name", text(value));
            } else if (name.equals("created_at")) {
                put(body, "created_at", epochSeconds(name, value));
            } else if (EVENT_CONTACT.containsKey(name)) {
                if (value != null && !value.toString().isBlank() && contact == null) {
                    contact = name;
                    body.put(EVENT_CONTACT.get(name), value.toString());
                }
            } else if (name.startsWith(METADATA_PREFIX) && name.length() > METADATA_PREFIX.length()) {
                if (value != null) {
                    put(metadata, name.substring(METADATA_PREFIX.length()), value instanceof Temporal
                            || value instanceof java.util.Date ? epochSeconds(name, value) : value);
                }
            } else {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("an event row has columns " + String.join(", ", unknown)
                    + " that are none of event_id, event_name, created_at, user_id, email, intercom_user_id or "
                    + METADATA_PREFIX + "<key>");
        }
        if (!body.hasNonNull("event_name") || body.get("event_name").asText().isBlank()) {
            throw new IllegalArgumentException("event_name is empty");
        }
        if (!body.hasNonNull("created_at")) {
            throw new IllegalArgumentException("created_at is empty");
        }
        if (contact == null) {
            throw new IllegalArgumentException("the event names no contact: user_id, email and intercom_user_id are empty");
        }
        if (metadata.size() > IntercomWriter.MAX_EVENT_METADATA_KEYS) {
            List<String> keys = new ArrayList<>();
            metadata.fieldNames().forEachRemaining(keys::add);
            throw new IllegalArgumentException("the event has " + keys.size() + " metadata keys ("
                    + String.join(", ", keys) + "); Intercom keeps at most " + IntercomWriter.MAX_EVENT_METADATA_KEYS);
        }
        if (!metadata.isEmpty()) {
            body.set("metadata", metadata);
        }
        return new PushRow(key, body, null, Map.of(), sha256("event|" + key), null);
    }

    /** Puts a value of a JDBC type into JSON; a null is written only when the sync clears fields with nulls. */
    private void put(ObjectNode node, String field, Object value) {
        if (value == null) {
            if (sync.syncNulls()) {
                node.putNull(field);
            }
            return;
        }
        node.set(field, json.valueToTree(value));
    }

    /** The value as JSON-friendly Java: numbers and booleans as they are, LOBs as text, anything else as is. */
    private static Object plain(Object value) {
        if (value instanceof Clob clob) {
            try {
                return clob.getSubString(1, (int) clob.length());
            } catch (SQLException e) {
                throw new IllegalStateException("could not read a text column: " + e.getMessage(), e);
            }
        }
        if (value instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String || value == null
                || value instanceof Temporal || value instanceof java.util.Date) {
            return value;
        }
        return value.toString();
    }

    /** Epoch seconds of a timestamp of any SQL type, of ISO-8601 text, or of a number taken as seconds. */
    static Long epochSeconds(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            // a timestamp without time zone is taken as UTC, whatever the JVM's zone
            return timestamp.toLocalDateTime().toEpochSecond(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }
        if (value instanceof java.util.Date date) {
            return date.toInstant().getEpochSecond();
        }
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toEpochSecond();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toEpochSecond();
        }
        if (value instanceof LocalDateTime time) {
            return time.toEpochSecond(ZoneOffset.UTC);
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        String text = value.toString().strip();
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException(field + " '" + text + "' is not a timestamp");
                }
            }
        }
    }

    /** The Intercom data type an attribute created for this value gets. */
    static String dataType(Object value) {
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || (value instanceof BigDecimal decimal && decimal.scale() <= 0)) {
            return "integer";
        }
        if (value instanceof Number) {
            return "float";
        }
        if (value instanceof Temporal || value instanceof java.util.Date) {
            return "date";
        }
        return "string";
    }

    private static String text(Object value) {
        return value == null ? null : value.toString().strip();
    }

    private String hash(JsonNode body, String companyId) {
        return sha256(sync.requestShape() + "|" + body + "|" + companyId);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
