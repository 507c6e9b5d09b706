package org.intercomhub.fanout;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reading canonical row values the same way whether they are fresh (Instant, JsonNode) or read back from JSON. */
public final class RowValues {

    private RowValues() {
    }

    /**
     * The row's scalar columns (text, numbers, booleans, timestamps, nulls) and of its nested JSON columns only
     * {@code keptJson}: what a branch's queue keeps of a row.
     */
    public static Map<String, Object> scalarsAnd(Map<String, Object> row, Set<String> keptJson) {
        Map<String, Object> kept = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (!(value instanceof JsonNode node) || node.isValueNode() || keptJson.contains(column)) {
                kept.put(column, value);
            }
        });
        return kept;
    }

    /** Text of a scalar column; null when absent, blank or not a scalar. */
    public static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null || value instanceof JsonNode node && !node.isValueNode()) {
            return null;
        }
        String text = value instanceof JsonNode node ? node.asText() : value.toString();
        return text.isBlank() ? null : text;
    }

    /** A nested JSON column (location, source, contacts ...), or null. */
    public static JsonNode json(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value instanceof JsonNode node && !node.isNull() ? node : null;
    }

    /** Epoch milliseconds of a timestamp column (Instant, ISO text or epoch seconds), or null. */
    public static Long epochMillis(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Number number) {
            return number.longValue() * 1000;
        }
        if (value instanceof String text) {
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    public static String textOf(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank() ? null : value.asText();
    }
}
