package org.intercomhub.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque, stateless pagination cursor: base64 of {@code [sortValue,index,page]} (so it starts with "Wz" like
 * Intercom's). It names the last record served, so it stays valid across client restarts and server-side changes.
 */
record Cursor(long sortValue, int index, int page) {

    String encode() {
        String json = "[" + sortValue + "," + index + "," + page + "]";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor decode(String text) {
        try {
            String json = new String(Base64.getDecoder().decode(text), StandardCharsets.US_ASCII);
            if (!json.startsWith("[") || !json.endsWith("]")) {
                throw new IllegalArgumentException(json);
            }
            String[] parts = json.substring(1, json.length() - 1).split(",");
            if (parts.length != 3) {
                throw new IllegalArgumentException(json);
            }
            return new Cursor(Long.parseLong(parts[0].trim()), Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("parameter_invalid", "starting_after is not a valid cursor");
        }
    }
}
