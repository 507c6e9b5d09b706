package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Intercom's search query language compiled to a predicate over record indexes: single filters
 * {@code {field, operator, value}} and groups {@code {operator: AND|OR, value: [...]}} nested at most two deep,
 * at most 15 filters per group.
 */
final class SearchQuery {

    static final int MAX_FILTERS_PER_GROUP = 15;
    static final int MAX_GROUP_DEPTH = 2;

    /** How timestamps compare: contacts by calendar day in the workspace zone, conversations/tickets by second. */
    enum DateSemantics { CALENDAR_DAY, EXACT_SECOND }

    enum Kind { DATE, STRING, NUMBER, BOOLEAN, ANY }

    /** A searchable field: dates/numbers read as longs (Long.MIN_VALUE = null), the rest as objects. */
    record Field(Kind kind, IntToLongFunction longs, IntFunction<Object> values) {
        static Field date(IntToLongFunction f) { return new Field(Kind.DATE, f, null); }
        static Field string(IntFunction<Object> f) { return new Field(Kind.STRING, null, f); }
        static Field number(IntFunction<Object> f) { return new Field(Kind.NUMBER, null, f); }
        static Field bool(IntFunction<Object> f) { return new Field(Kind.BOOLEAN, null, f); }
        static Field any(IntFunction<Object> f) { return new Field(Kind.ANY, null, f); }
    }

    /** Resolves field names; returns null for unknown fields. */
    interface Fields {
        Field field(String name);
    }

    private final Fields fields;
    private final DateSemantics dates;
    private final ZoneId zone;

    private SearchQuery(Fields fields, DateSemantics dates, ZoneId zone) {
        this.fields = fields;
        this.dates = dates;
        this.zone = zone;
    }

    /** Compiles the {@code query} object of a search body; a missing query matches everything. */
    static IntPredicate compile(JsonNode query, Fields fields, DateSemantics dates, ZoneId zone) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return i -> true;
        }
        return new SearchQuery(fields, dates, zone).node(query, 0);
    }

    private IntPredicate node(JsonNode n, int depth) {
        if (!n.isObject()) {
            throw invalid("query must be an object");
        }
        String op = text(n.get("operator"));
        if (n.has("field")) {
            return leaf(text(n.get("field")), op, n.get("value"));
        }
        if (!"AND".equals(op) && !"OR".equals(op)) {
            throw invalid("a filter needs field, operator and value; a group needs operator AND or OR");
        }
        if (depth >= MAX_GROUP_DEPTH) {
            throw invalid("queries may nest at most " + MAX_GROUP_DEPTH + " levels of AND/OR");
        }
        JsonNode value = n.get("value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw invalid("an " + op + " group needs a non-empty array of filters");
        }
        if (value.size() > MAX_FILTERS_PER_GROUP) {
            throw invalid("at most " + MAX_FILTERS_PER_GROUP + " filters per " + op + " group");
        }
        List<IntPredicate> parts = new ArrayList<>();
        for (JsonNode child : value) {
            parts.add(node(child, depth + 1));
        }
        IntPredicate[] array = parts.toArray(new IntPredicate[0]);
        if ("AND".equals(op)) {
            return i -> {
                for (IntPredicate p : array) {
                    if (!p.test(i)) return false;
                }
                return true;
            };
        }
        return i -> {
            for (IntPredicate p : array) {
                if (p.test(i)) return true;
            }
            return false;
        };
    }

    private IntPredicate leaf(String name, String op, JsonNode value) {
        if (name == null || op == null) {
            throw invalid("a filter needs field, operator and value");
        }
        Field field = fields.field(name);
        if (field == null) {
            throw invalid("'" + name + "' is not a searchable field");
        }
        switch (field.kind()) {
            case DATE: return dates == DateSemantics.CALENDAR_DAY ? calendarDay(name, field, op, value) : exactSecond(name, field, op, value);
            case NUMBER: return number(name, field, op, value);
            case BOOLEAN: return bool(name, field, op, value);
            case STRING: return string(name, field, op, value);
            default: return any(name, field, op, value);
        }
    }

    /**
     * Contact dates match by calendar day in the workspace zone: {@code >} from the start of the next day,
     * {@code <} before the start of the day, {@code =} within the day. Other operators are errors, as in Intercom.
     */
    private IntPredicate calendarDay(String name, Field f, String op, JsonNode value) {
        long v = longValue(name, value);
        LocalDate day = Instant.ofEpochSecond(v).atZone(zone).toLocalDate();
        long start = day.atStartOfDay(zone).toEpochSecond();
        long next = day.plusDays(1).atStartOfDay(zone).toEpochSecond();
        IntToLongFunction t = f.longs();
        switch (op) {
            case ">": return i -> { long x = t.applyAsLong(i); return x != Long.MIN_VALUE && x >= next; };
            case "<": return i -> { long x = t.applyAsLong(i); return x != Long.MIN_VALUE && x < start; };
            case "=": return i -> { long x = t.applyAsLong(i); return x >= start && x < next; };
            default: throw invalid("operator '" + op + "' is not supported for date field '" + name + "'; use >, < or =");
        }
    }

    /** Conversation and ticket dates: {@code >} is "greater or equal", {@code <} "lower or equal", to the second. */
    private IntPredicate exactSecond(String name, Field f, String op, JsonNode value) {
        IntToLongFunction t = f.longs();
        switch (op) {
            case ">": { long v = longValue(name, value); return i -> { long x = t.applyAsLong(i); return x != Long.MIN_VALUE && x >= v; }; }
            case "<": { long v = longValue(name, value); return i -> { long x = t.applyAsLong(i); return x != Long.MIN_VALUE && x <= v; }; }
            case "=": { long v = longValue(name, value); return i -> t.applyAsLong(i) == v; }
            case "!=": { long v = longValue(name, value); return i -> t.applyAsLong(i) != v; }
            case "IN": { Set<Long> s = longSet(name, value); return i -> s.contains(t.applyAsLong(i)); }
            case "NIN": { Set<Long> s = longSet(name, value); return i -> !s.contains(t.applyAsLong(i)); }
            default: throw invalid("operator '" + op + "' is not supported for date field '" + name + "'");
        }
    }

    private IntPredicate number(String name, Field f, String op, JsonNode value) {
        IntFunction<Object> get = f.values();
        switch (op) {
            case "=": if (value == null || value.isNull()) return i -> get.apply(i) == null;
                      { long v = longValue(name, value); return i -> numberEquals(get.apply(i), v); }
            case "!=": if (value == null || value.isNull()) return i -> get.apply(i) != null;
                      { long v = longValue(name, value); return i -> !numberEquals(get.apply(i), v); }
            case ">": { long v = longValue(name, value); return i -> get.apply(i) instanceof Number x && x.doubleValue() > v; }
            case "<": { long v = longValue(name, value); return i -> get.apply(i) instanceof Number x && x.doubleValue() < v; }
            case "IN": { Set<Long> s = longSet(name, value); return i -> get.apply(i) instanceof Number x && s.contains(x.longValue()); }
            case "NIN": { Set<Long> s = longSet(name, value); return i -> !(get.apply(i) instanceof Number x && s.contains(x.longValue())); }
            default: throw invalid("operator '" + op + "' is not supported for number field '" + name + "'");
        }
    }

    private static boolean numberEquals(Object o, long v) {
        return o instanceof Number x && x.longValue() == v;
    }

    private IntPredicate bool(String name, Field f, String op, JsonNode value) {
        if (value == null || !(value.isBoolean() || value.isTextual())) {
            throw invalid("'" + name + "' needs a boolean value");
        }
        Boolean v = value.isBoolean() ? value.booleanValue() : Boolean.valueOf(value.asText());
        IntFunction<Object> get = f.values();
        switch (op) {
            case "=": return i -> v.equals(get.apply(i));
            case "!=": return i -> !v.equals(get.apply(i));
            default: throw invalid("operator '" + op + "' is not supported for boolean field '" + name + "'");
        }
    }

    private IntPredicate string(String name, Field f, String op, JsonNode value) {
        IntFunction<Object> get = f.values();
        switch (op) {
            case "=": { String v = stringOrNull(value); return i -> Objects.equals(get.apply(i), v); }
            case "!=": { String v = stringOrNull(value); return i -> !Objects.equals(get.apply(i), v); }
            case "IN": { Set<String> s = stringSet(name, value); return i -> s.contains(String.valueOf(get.apply(i))); }
            case "NIN": { Set<String> s = stringSet(name, value); return i -> !s.contains(String.valueOf(get.apply(i))); }
            case "~": { String v = required(name, value); return i -> get.apply(i) instanceof String x && x.contains(v); }
            case "!~": { String v = required(name, value); return i -> !(get.apply(i) instanceof String x && x.contains(v)); }
            case "^": { String v = required(name, value); return i -> get.apply(i) instanceof String x && x.startsWith(v); }
            case "$": { String v = required(name, value); return i -> get.apply(i) instanceof String x && x.endsWith(v); }
            default: throw invalid("operator '" + op + "' is not supported for string field '" + name + "'");
        }
    }

    /** Custom attributes: numbers compare numerically, everything else by its text. */
    private IntPredicate any(String name, Field f, String op, JsonNode value) {
        IntFunction<Object> get = f.values();
        if (value != null && value.isNumber()) {
            return number(name, f, op, value);
        }
        if (value != null && value.isBoolean()) {
            return bool(name, f, op, value);
        }
        return string(name, new Field(Kind.STRING, null, i -> {
            Object o = get.apply(i);
            return o == null ? null : o.toString();
        }), op, value);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static String stringOrNull(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(String name, JsonNode value) {
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw invalid("'" + name + "' needs a text value");
        }
        return value.asText();
    }

    private static long longValue(String name, JsonNode value) {
        if (value != null && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw invalid("'" + name + "' needs an integer value (UNIX seconds for dates)");
    }

    private static Set<Long> longSet(String name, JsonNode value) {
        if (value == null || !value.isArray()) {
            throw invalid("IN and NIN need an array value for '" + name + "'");
        }
        Set<Long> s = new HashSet<>();
        value.forEach(v -> s.add(longValue(name, v)));
        return s;
    }

    private static Set<String> stringSet(String name, JsonNode value) {
        if (value == null || !value.isArray()) {
            throw invalid("IN and NIN need an array value for '" + name + "'");
        }
        Set<String> s = new HashSet<>();
        value.forEach(v -> s.add(v.isNull() ? "null" : v.asText()));
        return s;
    }

    static ApiException invalid(String message) {
        return ApiException.badRequest("parameter_invalid", message);
    }

    static Fields of(Map<String, Field> map, IntFunction<Map<String, Object>> customAttributes) {
        return name -> {
            Field f = map.get(name);
            if (f == null && customAttributes != null && name.startsWith("custom_attributes.")) {
                String attr = name.substring("custom_attributes.".length());
                return Field.any(i -> customAttributes.apply(i).get(attr));
            }
            return f;
        };
    }
}
