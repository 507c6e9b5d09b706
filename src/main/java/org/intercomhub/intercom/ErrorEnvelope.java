package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Intercom's error body {@code {"type":"error.list","request_id":..,"errors":[{"code":..,"message":..,"data":..}]}},
 * read leniently: proxies and gateways answer with HTML or nothing at all.
 */
record ErrorEnvelope(String code, String message, String requestId, List<String> requiredPermissions) {

    static final ErrorEnvelope EMPTY = new ErrorEnvelope(null, null, null, List.of());

    static ErrorEnvelope parse(ObjectMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            return EMPTY;
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (Exception notJson) {
            return EMPTY;
        }
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        String requestId = text(root.get("request_id"));
        JsonNode first = root.path("errors").path(0);
        String code = text(first.get("code"));
        String message = text(first.get("message"));
        if (code == null && message == null) {
            // Some answers use a flat {"code","message"} or {"error":..} shape.
            code = text(root.get("code"));
            message = text(root.has("message") ? root.get("message") : root.get("error"));
        }
        List<String> permissions = new ArrayList<>();
        // The 2.17 docs put required_permissions under the error's "data"; accept it at the top level too.
        collectPermissions(first.path("data").path("required_permissions"), permissions);
        collectPermissions(root.path("data").path("required_permissions"), permissions);
        return new ErrorEnvelope(code, message, requestId, List.copyOf(permissions));
    }

    private static void collectPermissions(JsonNode node, List<String> into) {
        if (node.isArray()) {
            node.forEach(item -> {
                String value = text(item);
                if (value != null && !into.contains(value)) {
                    into.add(value);
                }
            });
        } else if (text(node) != null && !into.contains(text(node))) {
            into.add(text(node));
        }
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText();
        return value.isBlank() ? null : value;
    }
}
