package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A stand-in for Amplitude's HTTP V2 API ({@code POST /2/httpapi}, body {@code {"api_key", "events": [...]}}),
 * answering as Amplitude documents: 200 {@code {"code":200,"events_ingested":n,...}}; 400 for a wrong api_key or
 * with {@code events_with_invalid_fields} / {@code events_with_missing_fields} naming event indexes (nothing of such
 * a request is ingested); 413 over 2,000 events or 1 MB; 429 with {@code throttled_users}, {@code throttled_devices}
 * and {@code throttled_events} when a request holds events of throttled users (nothing ingested). Identifications
 * are events of V2 too ({@code $identify} with {@code user_properties}, {@code $groupidentify} with {@code groups} and
 * {@code group_properties}, as V2 documents them) and are checked and ingested as any event. Knobs: answer a
 * status (e.g. 503) to everything; throttle users by predicate; call events invalid by insert_id.
 */
public final class AmplitudeStub extends StubReceiver {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_EVENTS = 2000;
    public static final int MAX_BYTES = 1024 * 1024;

    private final String apiKey;
    /** Events kept for inspection: a demo or a benchmark must not fill the heap. */
    public static final int KEPT = 10_000;
    private final KeptLast<JsonNode> ingested = new KeptLast<>(KEPT);
    private final java.util.concurrent.atomic.AtomicLong ingestedCount = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, AtomicInteger> ingestedByInsertId = new ConcurrentHashMap<>();
    private final Set<String> invalidInsertIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger throttledRequests = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong largestRequest = new java.util.concurrent.atomic.AtomicLong();
    private volatile int failWith = 0;
    private volatile Predicate<String> throttled = user -> false;

    public AmplitudeStub(int port, String apiKey) {
        super("amplitude", port);
        this.apiKey = apiKey;
    }

    public String url() {
        return baseUrl() + "/2/httpapi";
    }

    public void failWith(int status) {
        this.failWith = status;
    }

    public void throttleUsers(Predicate<String> throttled) {
        this.throttled = throttled;
    }

    /**
     * Throttles about {@code percent}% of users (by a hash of their id) the first time a request holds them, as
     * Amplitude does to users over their events-per-second limit; after that they are accepted.
     */
    public void throttleShareOnce(int percent) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        throttleUsers(user -> Math.floorMod(user.hashCode(), 100) < percent && seen.add(user));
    }

    /** Forgets everything received and every knob. */
    public void reset() {
        ingested.clear();
        ingestedCount.set(0);
        ingestedByInsertId.clear();
        invalidInsertIds.clear();
        requests.set(0);
        throttledRequests.set(0);
        largestRequest.set(0);
        failWith = 0;
        throttled = user -> false;
    }

    public void invalidInsertId(String insertId) {
        invalidInsertIds.add(insertId);
    }

    public void clearInvalid() {
        invalidInsertIds.clear();
    }

    /** The events ingested, repeats included (the last {@value #KEPT} only; counts by insert_id are kept for all). */
    public List<JsonNode> ingested() {
        return ingested.list();
    }

    /** How many events were ingested, repeats included. */
    public long ingestedCount() {
        return ingestedCount.get();
    }

    public int timesIngested(String insertId) {
        AtomicInteger n = ingestedByInsertId.get(insertId);
        return n == null ? 0 : n.get();
    }

    public Map<String, AtomicInteger> ingestedByInsertId() {
        return ingestedByInsertId;
    }

    public int requests() {
        return requests.get();
    }

    /** The largest request body seen, in bytes. */
    public long largestRequestBytes() {
        return largestRequest.get();
    }

    public int throttledRequests() {
        return throttledRequests.get();
    }

    @Override
    protected Reply answer(String method, String path, Map<String, String> headers, byte[] body) {
        requests.incrementAndGet();
        largestRequest.accumulateAndGet(body.length, Math::max);
        if (!path.equals("/2/httpapi") || !method.equals("POST")) {
            return Reply.json(404, "{\"code\":404,\"error\":\"not found\"}");
        }
        if (failWith != 0) {
            return Reply.json(failWith, "{\"code\":" + failWith + ",\"error\":\"unavailable\"}");
        }
        if (body.length > MAX_BYTES) {
            return Reply.json(413, "{\"code\":413,\"error\":\"Payload too large\"}");
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (Exception e) {
            return Reply.json(400, "{\"code\":400,\"error\":\"Invalid JSON request body\"}");
        }
        if (!apiKey.equals(request.path("api_key").asText())) {
            return Reply.json(400, "{\"code\":400,\"error\":\"Invalid API key: " + request.path("api_key").asText()
                    + "\",\"missing_field\":null}");
        }
        JsonNode events = request.path("events");
        if (!events.isArray() || events.isEmpty()) {
            return Reply.json(400, "{\"code\":400,\"error\":\"Request missing required field\",\"missing_field\":\"events\"}");
        }
        if (events.size() > MAX_EVENTS) {
            return Reply.json(413, "{\"code\":413,\"error\":\"Payload too large\"}");
        }
        ObjectNode invalid = JSON.createObjectNode();
        ObjectNode missing = JSON.createObjectNode();
        ObjectNode throttledUsers = JSON.createObjectNode();
        ArrayNode throttledEvents = JSON.createArrayNode();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            String user = event.path("user_id").asText("");
            if (!event.hasNonNull("event_type")) {
                index(missing, "event_type", i);
            }
            if (user.isEmpty() && event.path("device_id").asText("").isEmpty()) {
                index(missing, "user_id", i);
            } else if (!user.isEmpty() && user.length() < 5) {
                index(invalid, "user_id", i);
            }
            if (event.has("time") && !event.get("time").canConvertToLong()) {
                index(invalid, "time", i);
            }
            if (invalidInsertIds.contains(event.path("insert_id").asText())) {
                index(invalid, "event_properties", i);
            }
            if (!user.isEmpty() && throttled.test(user)) {
                throttledUsers.put(user, throttledUsers.path(user).asInt(0) + 1);
                throttledEvents.add(i);
            }
        }
        if (!invalid.isEmpty() || !missing.isEmpty()) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("code", 400);
            answer.put("error", "Request contains invalid or missing fields");
            answer.set("events_with_invalid_fields", invalid);
            answer.set("events_with_missing_fields", missing);
            return Reply.json(400, answer.toString());
        }
        if (!throttledUsers.isEmpty()) {
            throttledRequests.incrementAndGet();
            ObjectNode answer = JSON.createObjectNode();
            answer.put("code", 429);
            answer.put("error", "Too many requests for some devices and users");
            answer.put("eps_threshold", 30);
            answer.putObject("throttled_devices");
            answer.set("throttled_users", throttledUsers);
            answer.set("throttled_events", throttledEvents);
            return Reply.json(429, answer.toString());
        }
        for (JsonNode event : events) {
            ingested.add(event);
            ingestedCount.incrementAndGet();
            ingestedByInsertId.computeIfAbsent(event.path("insert_id").asText(""), k -> new AtomicInteger())
                    .incrementAndGet();
        }
        return Reply.json(200, "{\"code\":200,\"events_ingested\":" + events.size() + ",\"payload_size_bytes\":"
                + body.length + ",\"server_upload_time\":" + System.currentTimeMillis() + "}");
    }

    private static void index(ObjectNode byField, String field, int index) {
        ArrayNode list = byField.has(field) ? (ArrayNode) byField.get(field) : byField.putArray(field);
        list.add(index);
    }
}
