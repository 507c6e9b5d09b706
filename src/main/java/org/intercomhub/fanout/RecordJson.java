package org.intercomhub.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.record.CanonicalRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical record as JSON, for the outbox and the dead letters. Column values come back as String, Long, Double,
 * Boolean or JsonNode: instants are kept as ISO-8601 text (the branches read both).
 */
public final class RecordJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {
    }

    public static String write(CanonicalRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("collection", record.collection());
        node.put("id", record.id());
        node.put("op", record.op().name());
        node.put("source", record.source().name());
        if (record.sourceUpdatedAt() != null) {
            node.put("source_updated_at", record.sourceUpdatedAt());
        }
        node.set("row", rowNode(record.row()));
        ObjectNode children = node.putObject("children");
        record.children().forEach((table, rows) -> {
            ArrayNode list = children.putArray(table);
            rows.forEach(row -> list.add(rowNode(row)));
        });
        if (record.event() != null) {
            ObjectNode event = node.putObject("event");
            event.put("topic", record.event().topic());
            event.put("notification_id", record.event().notificationId());
            if (record.event().createdAt() != null) {
                event.put("created_at", record.event().createdAt());
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CanonicalRecord read(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored record: " + e.getOriginalMessage(), e);
        }
        Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
        node.path("children").fields().forEachRemaining(table -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            table.getValue().forEach(row -> rows.add(rowOf(row)));
            children.put(table.getKey(), rows);
        });
        JsonNode event = node.get("event");
        return new CanonicalRecord(node.path("collection").asText(), node.path("id").asText(),
                CanonicalRecord.Operation.valueOf(node.path("op").asText()),
                CanonicalRecord.Source.valueOf(node.path("source").asText()),
                node.hasNonNull("source_updated_at") ? node.get("source_updated_at").asLong() : null,
                rowOf(node.path("row")), children,
                event == null ? null : new CanonicalRecord.Event(event.path("topic").asText(),
                        event.path("notification_id").asText(),
                        event.hasNonNull("created_at") ? event.get("created_at").asLong() : null));
    }

    private static ObjectNode rowNode(Map<String, Object> row) {
        ObjectNode node = JSON.createObjectNode();
        row.forEach((column, value) -> {
            if (value == null) {
                node.putNull(column);
            } else if (value instanceof JsonNode json) {
                node.set(column, json);
            } else if (value instanceof Instant instant) {
                node.put(column, instant.toString());
            } else if (value instanceof Long || value instanceof Integer) {
                node.put(column, ((Number) value).longValue());
            } else if (value instanceof Number number) {
                node.put(column, number.doubleValue());
            } else if (value instanceof Boolean bool) {
                node.put(column, bool);
            } else {
                node.put(column, value.toString());
            }
        });
        return node;
    }

    private static Map<String, Object> rowOf(JsonNode node) {
        Map<String, Object> row = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            Object plain;
            if (value.isNull()) {
                plain = null;
            } else if (value.isTextual()) {
                plain = value.asText();
            } else if (value.isIntegralNumber()) {
                plain = value.asLong();
            } else if (value.isNumber()) {
                plain = value.asDouble();
            } else if (value.isBoolean()) {
                plain = value.asBoolean();
            } else {
                plain = value;
            }
            row.put(field.getKey(), plain);
        });
        return row;
    }
}
