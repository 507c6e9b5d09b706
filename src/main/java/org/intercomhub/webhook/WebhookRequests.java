package org.intercomhub.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.intercomhub.webhook.WebhookRejectedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP side of {@code POST /webhooks/intercom}: takes the body's exact bytes (size and content type checked,
 * nothing parsed, so the signature is computed over what Intercom signed), reads the envelope, and answers.
 */
public class WebhookRequests {

    private static final Logger log = LoggerFactory.getLogger(WebhookRequests.class);
    static final String DUPLICATE = "IntercomHubWebhookDuplicate";

    private final WebhookSettings settings;
    private final WebhookMeters meters;
    private final ObjectMapper json;

    public WebhookRequests(WebhookSettings settings, WebhookMeters meters, ObjectMapper json) {
        this.settings = settings;
        this.meters = meters;
        this.json = json;
    }

    /** Replaces the body with its raw bytes; 415 unless JSON, 413 when over the limit. */
    public void rawBody(Exchange exchange) {
        Message message = exchange.getMessage();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw new WebhookRejectedException(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, not " + contentType);
        }
        Long declared = message.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declared != null && declared > settings.maxBodyBytes()) {
            throw tooLarge();
        }
        byte[] bytes = bytesOf(message.getBody(), charsetOf(contentType));
        if (bytes.length > settings.maxBodyBytes()) {
            throw tooLarge();
        }
        message.setBody(bytes);
    }

    /**
     * Reads the envelope; 400 unless it is a JSON object with a notification id and a topic. Streamed: only the
     * top-level id, topic and created_at are read, the rest (the item, most of the bytes) is checked for syntax and
     * skipped, not built into a tree.
     */
    public Notification parse(byte[] body) {
        String id = null;
        String topic = null;
        Long createdAt = null;
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notANotification();
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    // a repeated field counts with its last value, as in a tree
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "topic" -> topic = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "created_at" -> createdAt = longOrNull(parser, value);
                    default -> parser.skipChildren();
                }
            }
            // the object's end; anything after it is ignored, as ObjectMapper.readTree does
        } catch (IOException e) {
            throw new WebhookRejectedException(Reason.MALFORMED_JSON, "body is not JSON");
        }
        if (id == null || id.isBlank() || topic == null) {
            throw notANotification();
        }
        return new Notification(id, topic, createdAt, new String(body, StandardCharsets.UTF_8));
    }

    /** A whole number, or a fraction within a long (truncated); anything else is no created_at. */
    private static Long longOrNull(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : parser.getLongValue();
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = parser.getDoubleValue();
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? (long) d : null;
        }
        parser.skipChildren();
        return null;
    }

    private static WebhookRejectedException notANotification() {
        return new WebhookRejectedException(Reason.MALFORMED_JSON,
                "body is not a notification (an object with id and topic)");
    }

    /** 200 once the notification is in the inbox (or was already). */
    public void acknowledge(Exchange exchange) throws JsonProcessingException {
        Notification notification = exchange.getMessage().getBody(Notification.class);
        boolean duplicate = exchange.getProperty(DUPLICATE, false, Boolean.class);
        respond(exchange.getMessage(), 200, Map.of("id", notification.id(), "status",
                duplicate ? "duplicate" : "accepted"));
    }

    public void reject(WebhookRejectedException rejection, Exchange exchange) throws JsonProcessingException {
        meters.rejected(rejection.reason());
        log.debug("Webhook refused with {}: {}", rejection.status(), rejection.getMessage());
        respond(exchange.getMessage(), rejection.status(), Map.of("error", rejection.reason().label(),
                "message", rejection.getMessage()));
    }

    private void respond(Message message, int status, Object body) throws JsonProcessingException {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writeValueAsString(body));
    }

    private WebhookRejectedException tooLarge() {
        return new WebhookRejectedException(Reason.TOO_LARGE, "body is larger than " + settings.maxBodyBytes()
                + " bytes (webhook.max-body-bytes)");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }

    private static Charset charsetOf(String contentType) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].trim().replace("\"", ""));
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8; // JSON's own default (RFC 8259)
    }

    /**
     * platform-http on Spring MVC hands over the servlet body as a stream (or a stream cache); a String or Reader
     * would only appear if something decoded it first, and is turned back into bytes with the declared charset.
     */
    private byte[] bytesOf(Object body, Charset charset) {
        try {
            if (body == null) {
                return new byte[0];
            }
            if (body instanceof byte[] bytes) {
                return bytes;
            }
            if (body instanceof StreamCache cache) {
                cache.reset();
            }
            if (body instanceof InputStream in) {
                return in.readNBytes(settings.maxBodyBytes() + 1);
            }
            if (body instanceof String text) {
                return text.getBytes(charset);
            }
            if (body instanceof Reader reader) {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) != -1 && text.length() <= settings.maxBodyBytes(); ) {
                    text.append(buffer, 0, n);
                }
                return text.toString().getBytes(charset);
            }
            throw new IllegalStateException("Unexpected webhook body type " + body.getClass().getName());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the webhook body failed", e);
        }
    }
}
