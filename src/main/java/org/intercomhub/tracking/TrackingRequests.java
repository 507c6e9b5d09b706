package org.intercomhub.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.intercomhub.tracking.TrackingRejectedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The HTTP side of {@code POST /v1/*} (routes/tracking-api.camel.yaml), as Segment's tracking API answers: the write
 * key (HTTP Basic user name, or the body's {@code writeKey}), 32 KB per call and 500 KB per batch, JSON, a userId or
 * anonymousId on every call; a refusal stores nothing. The write key is never stored, logged or echoed.
 */
public class TrackingRequests {

    /** Segment's limits (its Java client's MSG_MAX_SIZE and BATCH_MAX_SIZE). */
    public static final int MAX_CALL_BYTES = 32 * 1024;
    public static final int MAX_BATCH_BYTES = 500 * 1024;
    /** Segment's most calls in one batch request. */
    public static final int MAX_BATCH_CALLS = 2500;
    static final int MAX_MESSAGE_ID = 255;
    /** Calls the hub stores; identify, group and track reach Intercom, the others are kept and skipped. */
    static final Set<String> TYPES = Set.of("identify", "group", "track", "page", "screen", "alias");
    static final String CALLS = "IntercomHubTrackingCalls";
    static final String STORED = "IntercomHubTrackingStored";
    /** The exchange property the endpoint's route sets to its name (routes/tracking-api.camel.yaml). */
    static final String ENDPOINT = "trackingEndpoint";
    private static final String BATCH = "batch";

    private static final Logger log = LoggerFactory.getLogger(TrackingRequests.class);

    private final WriteKeys keys;
    private final TrackingMeters meters;
    private final ObjectMapper json;
    private final Clock clock;

    public TrackingRequests(WriteKeys keys, TrackingMeters meters, ObjectMapper json, Clock clock) {
        this.keys = keys;
        this.meters = meters;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Checks the request and replaces the body with its calls, ready for the inbox; the route's property
     * {@value #ENDPOINT} names the endpoint. (Read here rather than bound by the route's method expression, which
     * cost a twentieth of the request's CPU in a profile.)
     */
    public void accept(Exchange exchange) {
        check(exchange.getProperty(ENDPOINT, String.class), exchange);
    }

    /**
     * Checks the request and replaces the body with its calls, ready for the inbox. {@code endpoint} is the path's
     * last part: identify, group, track, page, screen, alias, batch or import.
     */
    void check(String endpoint, Exchange exchange) {
        Message message = exchange.getMessage();
        String basicKey = basicUser(message.getHeader("Authorization", String.class));
        if (basicKey != null && !keys.matches(basicKey)) {
            throw new TrackingRejectedException(Reason.WRONG_WRITE_KEY, "the write key is not one of this hub's");
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)
                .equals("application/json")) {
            throw new TrackingRejectedException(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        boolean batch = endpoint.equals(BATCH) || endpoint.equals("import");
        int limit = batch ? MAX_BATCH_BYTES : MAX_CALL_BYTES;
        byte[] bytes = bytesOf(message.getBody(), limit);
        if (bytes.length > limit) {
            throw new TrackingRejectedException(Reason.TOO_LARGE, (batch ? "a batch" : "a call")
                    + " is limited to " + limit / 1024 + " KB");
        }
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (IOException e) {
            throw new TrackingRejectedException(Reason.MALFORMED_JSON, "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new TrackingRejectedException(Reason.MALFORMED_JSON, "the body is not a JSON object");
        }
        if (basicKey == null) {
            JsonNode writeKey = root.get("writeKey");
            if (writeKey == null || !writeKey.isTextual() || writeKey.asText().isEmpty()) {
                throw new TrackingRejectedException(Reason.MISSING_WRITE_KEY, "a write key is required: HTTP Basic"
                        + " with the key as user name and an empty password, or writeKey in the body");
            }
            if (!keys.matches(writeKey.asText())) {
                throw new TrackingRejectedException(Reason.WRONG_WRITE_KEY, "the write key is not one of this hub's");
            }
        }
        message.setBody(null);
        exchange.setProperty(CALLS, batch ? batchCalls((ObjectNode) root) : List.of(call((ObjectNode) root, endpoint,
                null, null, bytes.length)));
    }

    private List<TrackingCall> batchCalls(ObjectNode root) {
        JsonNode items = root.get(BATCH);
        if (items == null || !items.isArray()) {
            throw new TrackingRejectedException(Reason.BAD_CALL, "a batch needs \"batch\": an array of calls");
        }
        if (items.size() > MAX_BATCH_CALLS) {
            throw new TrackingRejectedException(Reason.TOO_LARGE, "a batch holds at most " + MAX_BATCH_CALLS
                    + " calls, this one " + items.size());
        }
        JsonNode context = root.get("context");
        JsonNode integrations = root.get("integrations");
        List<TrackingCall> calls = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw new TrackingRejectedException(Reason.BAD_CALL, "batch[" + i + "] is not an object");
            }
            int size;
            try {
                size = json.writeValueAsBytes(item).length;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            calls.add(call((ObjectNode) item, null, context, integrations, size));
        }
        return calls;
    }

    /**
     * One call, checked: its type (the path's for a single call, its own in a batch), its size, a userId or
     * anonymousId, a usable messageId. The batch's context and integrations are merged under the call's own.
     */
    private TrackingCall call(ObjectNode item, String endpointType, JsonNode context, JsonNode integrations,
                              int size) {
        if (size > MAX_CALL_BYTES) {
            throw new TrackingRejectedException(Reason.TOO_LARGE, "a call is limited to " + MAX_CALL_BYTES / 1024
                    + " KB");
        }
        // the request's own tree, read for this request only: changed in place, not copied
        ObjectNode call = item;
        call.remove("writeKey");
        String type = endpointType != null ? endpointType : call.path("type").asText(null);
        if (type == null || !TYPES.contains(type)) {
            throw new TrackingRejectedException(Reason.BAD_CALL, "every call needs a type: one of " + TYPES);
        }
        call.put("type", type);
        merge(call, "context", context);
        merge(call, "integrations", integrations);
        String userId = TrackingCall.idText(call.get("userId"));
        String anonymousId = TrackingCall.idText(call.get("anonymousId"));
        if (userId == null && anonymousId == null) {
            throw new TrackingRejectedException(Reason.NO_USER, "every call needs a userId or an anonymousId");
        }
        JsonNode messageIdNode = call.get("messageId");
        String messageId = messageIdNode != null && messageIdNode.isTextual() && !messageIdNode.asText().isBlank()
                ? messageIdNode.asText() : null;
        if (messageId != null && messageId.length() > MAX_MESSAGE_ID) {
            throw new TrackingRejectedException(Reason.BAD_CALL, "a messageId is at most " + MAX_MESSAGE_ID
                    + " characters");
        }
        if (messageId == null) {
            // nothing to recognise a repeat by: Segment's clients always send one
            messageId = "hub-" + UUID.randomUUID();
            call.put("messageId", messageId);
        }
        call.put("receivedAt", clock.instant().toString());
        return new TrackingCall(messageId, type, TrackingCall.userKey(userId, anonymousId), call);
    }

    private static void merge(ObjectNode call, String field, JsonNode outer) {
        if (outer == null || !outer.isObject()) {
            return;
        }
        JsonNode own = call.get(field);
        ObjectNode merged = outer.deepCopy();
        if (own != null && own.isObject()) {
            own.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        }
        call.set(field, merged);
    }

    /** The calls this request carries (set by {@link #accept}). */
    @SuppressWarnings("unchecked")
    public static List<TrackingCall> calls(Exchange exchange) {
        return exchange.getProperty(CALLS, List.class);
    }

    /** 200 {"success": true}: the calls are in the inbox (or were already). */
    public void acknowledge(Exchange exchange) throws JsonProcessingException {
        respond(exchange.getMessage(), 200, Map.of("success", true));
    }

    public void reject(TrackingRejectedException rejection, Exchange exchange) throws JsonProcessingException {
        meters.rejected(rejection.reason());
        log.debug("Tracking call refused with {}: {}", rejection.status(), rejection.getMessage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", rejection.reason().label());
        body.put("message", rejection.getMessage());
        Message message = exchange.getMessage();
        if (rejection.status() == 401) {
            message.setHeader("WWW-Authenticate", "Basic realm=\"intercom-hub tracking\"");
        } else if (rejection.status() == 503) {
            message.setHeader("Retry-After", "5");
        }
        respond(message, rejection.status(), body);
    }

    private void respond(Message message, int status, Object body) throws JsonProcessingException {
        // the request's headers would go back with the answer (platform-http copies them): none of them belongs there
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writeValueAsString(body));
    }

    /** The user name of {@code Authorization: Basic ...} (Segment's write key), or null when there is none. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
        int colon = decoded.indexOf(':');
        // Segment: "Include a colon before encoding"; a key encoded without one is still taken
        return colon < 0 ? decoded : decoded.substring(0, colon);
    }

    /** The body's bytes, at most {@code limit} + 1 of them (enough to know it is too large). */
    private static byte[] bytesOf(Object body, int limit) {
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
                return in.readNBytes(limit + 1);
            }
            if (body instanceof String text) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            if (body instanceof Reader reader) {
                StringBuilder text = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = reader.read(buffer)) != -1 && text.length() <= limit; ) {
                    text.append(buffer, 0, n);
                }
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("Unexpected request body type " + body.getClass().getName());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the tracking request failed", e);
        }
    }

}
