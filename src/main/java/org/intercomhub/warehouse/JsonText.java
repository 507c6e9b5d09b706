package org.intercomhub.warehouse;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * A JSON tree as compact text, the text {@link JsonNode#toString()} gives, written straight into one buffer.
 * {@code toString()} sets up an object writer and a generator for every node (a fifth of the pull's CPU went there,
 * one call per JSON column of every row); this walks the tree with Jackson's own string escaping instead.
 */
final class JsonText {

    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

    private JsonText() {
    }

    static String of(JsonNode node) {
        if (node.isValueNode() && !node.isTextual()) {
            return scalar(node);
        }
        StringBuilder text = new StringBuilder(256); // most columns' text fits: no growing copies
        append(node, text);
        return text.toString();
    }

    private static void append(JsonNode node, StringBuilder text) {
        if (node.isObject()) {
            text.append('{');
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            boolean first = true;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!first) {
                    text.append(',');
                }
                first = false;
                quoted(field.getKey(), text);
                text.append(':');
                append(field.getValue(), text);
            }
            text.append('}');
        } else if (node.isArray()) {
            text.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                append(node.get(i), text);
            }
            text.append(']');
        } else if (node.isTextual()) {
            quoted(node.textValue(), text);
        } else {
            text.append(scalar(node));
        }
    }

    /** Numbers, booleans and null as Jackson writes them; anything rarer (binary, POJO) by Jackson itself. */
    private static String scalar(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isNumber() && !((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))) {
            return node.asText();
        }
        return node.toString();
    }

    private static void quoted(String value, StringBuilder text) {
        text.append('"');
        if (needsEscaping(value)) {
            STRINGS.quoteAsString(value, text);
        } else {
            text.append(value); // most names and values: nothing to escape, no encoder's buffers
        }
        text.append('"');
    }

    /** What Jackson escapes by default: control characters, the quote and the backslash. */
    private static boolean needsEscaping(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }
}
