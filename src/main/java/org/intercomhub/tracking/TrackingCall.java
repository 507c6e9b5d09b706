package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Segment call (identify, group, track, page, ...) as the inbox stores it: the call's JSON with the batch's
 * context merged in and the write key removed.
 *
 * @param messageId the client's messageId (the inbox's unique key), or one the hub made when the call had none
 * @param type      identify, group, track, page, screen or alias
 * @param userKey   SHA-256 (hex) of "u:" + userId, else "a:" + anonymousId: the user whose calls keep their order
 * @param body      the call
 */
public record TrackingCall(String messageId, String type, String userKey, ObjectNode body) {

    public String userId() {
        return idText(body.get("userId"));
    }

    public String anonymousId() {
        return idText(body.get("anonymousId"));
    }

    /** A userId or anonymousId as Segment's clients send it: a non-blank string or a number. */
    static String idText(JsonNode id) {
        if (id == null || !(id.isTextual() || id.isNumber())) {
            return null;
        }
        String text = id.asText();
        return text.isBlank() ? null : text;
    }

    static String userKey(String userId, String anonymousId) {
        String key = userId != null ? "u:" + userId : "a:" + anonymousId;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
