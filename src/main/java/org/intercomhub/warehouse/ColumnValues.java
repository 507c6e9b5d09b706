package org.intercomhub.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

/**
 * Infers a column type from a Java value and converts values to the type of the column they land in. A value that
 * does not fit its column becomes null: the record's JSON copy elsewhere keeps the data, and one odd attribute must
 * not fail a whole batch.
 */
public final class ColumnValues {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ColumnValues() {
    }

    /** The type of the column to create for a value first seen; null for null (the column waits for a value). */
    public static ColumnType inferType(Object value) {
        if (value == null || (value instanceof JsonNode node && (node.isNull() || node.isMissingNode()))) {
            return null;
        }
        if (value instanceof String || value instanceof Character) {
            return ColumnType.TEXT;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return ColumnType.BIGINT;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ColumnType.DOUBLE;
        }
        if (value instanceof Boolean) {
            return ColumnType.BOOLEAN;
        }
        if (value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime
                || value instanceof Date) {
            return ColumnType.TIMESTAMP;
        }
        return ColumnType.JSON;
    }

    /**
     * Converts to the Java value bound for the column type: String (TEXT and JSON text), Long, Double, Boolean or
     * Instant; null when the value is null or does not fit.
     */
    public static Object convert(Object value, ColumnType type) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNode node) {
            if (node.isNull() || node.isMissingNode()) {
                return null;
            }
            if (type == ColumnType.JSON) {
                return JsonText.of(node);
            }
            if (node.isTextual()) {
                return convert(node.textValue(), type);
            }
            if (node.isNumber()) {
                return convert(node.numberValue(), type);
            }
            if (node.isBoolean()) {
                return convert(node.booleanValue(), type);
            }
            return type == ColumnType.TEXT ? JsonText.of(node) : null;
        }
        return switch (type) {
            case TEXT -> toText(value);
            case BIGINT -> toLong(value);
            case DOUBLE -> toDouble(value);
            case BOOLEAN -> toBoolean(value);
            case TIMESTAMP -> toInstant(value);
            case JSON -> toJson(value);
        };
    }

    private static String toText(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Instant || value instanceof OffsetDateTime
                || value instanceof ZonedDateTime) {
            return value.toString();
        }
        return toJson(value);
    }

    private static Long toLong(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            return wholeNumber(new BigDecimal(number.toString()));
        }
        if (value instanceof String text) {
            try {
                return wholeNumber(new BigDecimal(text.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Instant instant = value instanceof Boolean ? null : toInstant(value);
        return instant == null ? null : instant.getEpochSecond();
    }

    private static Long wholeNumber(BigDecimal number) {
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Double toDouble(Object value) {
        double result;
        if (value instanceof Number number) {
            result = number.doubleValue();
        } else if (value instanceof String text) {
            try {
                result = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        // MariaDB has no NaN or infinity; keep the warehouse portable.
        return Double.isFinite(result) ? result : null;
    }

    private static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String text) {
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        return null;
    }

    /** Numbers are UNIX seconds, as everywhere in Intercom's API. */
    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof ZonedDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Number number) {
            Long seconds = toLong(number);
            return seconds == null ? null : Instant.ofEpochSecond(seconds);
        }
        if (value instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.matches("-?\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(trimmed));
            }
            try {
                return OffsetDateTime.parse(trimmed).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static String toJson(Object value) {
        try {
            Object plain = value instanceof Instant || value instanceof OffsetDateTime || value instanceof ZonedDateTime
                    ? value.toString() : value;
            return JSON.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
