package org.intercomhub.record;

import com.fasterxml.jackson.databind.JsonNode;
import org.intercomhub.warehouse.ColumnType;

import java.time.Instant;

/** Converts a JSON value to the Java value of a warehouse column, by declared type or, when undeclared, by shape. */
final class JsonValues {

    private JsonValues() {
    }

    static Object toColumnValue(String fieldName, JsonNode value, ColumnType declared) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        ColumnType type = declared != null ? declared : inferType(fieldName, value);
        return switch (type) {
            case JSON -> value;
            case TEXT -> value.isValueNode() ? value.asText() : value.toString();
            case BIGINT -> value.isNumber() || isNumeric(value) ? value.asLong() : null;
            case DOUBLE -> value.isNumber() || isNumeric(value) ? value.asDouble() : null;
            case BOOLEAN -> value.isBoolean() ? value.booleanValue() : value.isTextual() ? Boolean.valueOf(value.asText()) : null;
            case TIMESTAMP -> {
                Long seconds = epochSeconds(value);
                yield seconds == null ? null : Instant.ofEpochSecond(seconds);
            }
        };
    }

    /** Intercom's timestamps are UNIX seconds; fields named {@code *_at} that hold integers are times. */
    static ColumnType inferType(String fieldName, JsonNode value) {
        if (value.isContainerNode()) {
            return ColumnType.JSON;
        }
        if (value.isBoolean()) {
            return ColumnType.BOOLEAN;
        }
        if (value.isIntegralNumber()) {
            return fieldName.endsWith("_at") ? ColumnType.TIMESTAMP : ColumnType.BIGINT;
        }
        if (value.isNumber()) {
            return ColumnType.DOUBLE;
        }
        return ColumnType.TEXT;
    }

    static Long epochSeconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber() || isNumeric(value)) {
            return value.asLong();
        }
        return null;
    }

    private static boolean isNumeric(JsonNode value) {
        return value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?");
    }
}
