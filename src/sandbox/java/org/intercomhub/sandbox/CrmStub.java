package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Gather's records API, the contract the CRM branch speaks:
 * <ul>
 *   <li>{@code POST /models/{account|user}/records} with {@code {"id": ..., properties...}}: upsert (create mode),
 *       200 with the stored record; 422 without an id</li>
 *   <li>{@code PATCH /models/{model}/records/{id}} with the properties: update only, 404 for an unknown id</li>
 *   <li>{@code DELETE /models/user/records/{id}}: 204, 404 for an unknown id</li>
 *   <li>{@code Authorization: Token <key>} required (401 otherwise)</li>
 * </ul>
 * There is no batch call: one record per request. Knobs for tests and demos: answer a status (e.g. 503) to every
 * request or to writes of chosen ids, 429 with Retry-After for the next n requests, 422 for chosen ids, a delay before
 * each answer; it counts the most requests it had in hand at once.
 */
public final class CrmStub extends StubReceiver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORDS = Pattern.compile("/models/(account|user)/records(?:/([^/]+))?");

    /** One request as received. */
    public record Received(String method, String model, String id, JsonNode body) {
    }

    private final String apiKey;
    private final Map<String, Map<String, ObjectNode>> models = new ConcurrentHashMap<>();
    /** Requests kept for inspection (the last {@value #KEPT}): a demo or a benchmark must not fill the heap. */
    public static final int KEPT = 10_000;
    private final KeptLast<Received> received = new KeptLast<>(KEPT);
    private final java.util.concurrent.atomic.AtomicLong receivedCount = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, String> rejectIds = new ConcurrentHashMap<>();
    private final Map<String, Integer> failIds = new ConcurrentHashMap<>();
    private volatile long answerDelayMillis = 0;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile int failWith = 0;
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;

    public CrmStub(int port, String apiKey) {
        super("crm", port);
        this.apiKey = apiKey;
        models.put("account", new ConcurrentHashMap<>());
        models.put("user", new ConcurrentHashMap<>());
    }

    /** Every request answers this status (e.g. 503) until set to 0. */
    public void failWith(int status) {
        this.failWith = status;
    }

    /** The next n requests answer 429 with this Retry-After. */
    public void throttleNext(int n, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        throttleNext.set(n);
    }

    /** Writes of this record id answer 422 with the given message. */
    public void rejectId(String id, String message) {
        rejectIds.put(id, message);
    }

    /** Writes of this record id answer {@code status} (e.g. 503) until {@link #clearFailures()}. */
    public void failId(String id, int status) {
        failIds.put(id, status);
    }

    public void clearFailures() {
        failIds.clear();
    }

    /** Each request is answered after this wait (a CRM that takes its time). */
    public void answerDelay(Duration delay) {
        this.answerDelayMillis = delay.toMillis();
    }

    /** The most requests it was answering at the same time, since start or {@link #reset()}. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Forgets every record, request and knob. */
    public void reset() {
        models.values().forEach(Map::clear);
        received.clear();
        receivedCount.set(0);
        rejectIds.clear();
        failIds.clear();
        answerDelayMillis = 0;
        mostInFlight.set(0);
        failWith = 0;
        throttleNext.set(0);
    }

    public void clearRejections() {
        rejectIds.clear();
    }

    public Map<String, ObjectNode> records(String model) {
        return models.get(model);
    }

    public List<Received> received() {
        return received.list();
    }

    /** How many record requests were received in all. */
    public long receivedCount() {
        return receivedCount.get();
    }

    private void keep(Received request) {
        received.add(request);
        receivedCount.incrementAndGet();
    }

    @Override
    protected Reply answer(String method, String path, Map<String, String> headers, byte[] body) {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try {
            if (answerDelayMillis > 0) {
                Thread.sleep(answerDelayMillis);
            }
            return answerNow(method, path, headers, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.json(503, "{\"error\":\"interrupted\"}");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Reply answerNow(String method, String path, Map<String, String> headers, byte[] body) {
        if (!("Token " + apiKey).equals(headers.get("Authorization"))) {
            return Reply.json(401, "{\"error\":\"invalid or missing API token\"}");
        }
        if (failWith != 0) {
            return Reply.json(failWith, "{\"error\":\"unavailable\"}");
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Reply(429, "{\"error\":\"rate limited\"}", Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }
        Matcher m = RECORDS.matcher(path);
        if (!m.matches()) {
            return Reply.json(404, "{\"error\":\"no such endpoint\"}");
        }
        String model = m.group(1);
        String id = m.group(2) == null ? null : URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            return Reply.json(400, "{\"error\":\"body is not JSON\"}");
        }
        Map<String, ObjectNode> store = models.get(model);
        Integer failure = failIds.get(id != null ? id : json.path("id").asText(""));
        if (failure != null) {
            return Reply.json(failure, "{\"error\":\"unavailable\"}");
        }
        switch (method) {
            case "POST" -> {
                if (id != null) {
                    return Reply.json(405, "{\"error\":\"POST to the collection\"}");
                }
                String recordId = json.path("id").asText("");
                if (recordId.isBlank()) {
                    return Reply.json(422, "{\"error\":\"id is required\"}");
                }
                if (rejectIds.containsKey(recordId)) {
                    return Reply.json(422, "{\"error\":\"" + rejectIds.get(recordId) + "\"}");
                }
                keep(new Received(method, model, recordId, json));
                ObjectNode merged = store.computeIfAbsent(recordId, k -> JSON.createObjectNode());
                merged.setAll((ObjectNode) json);
                return Reply.json(200, merged.toString());
            }
            case "PATCH" -> {
                if (id == null) {
                    return Reply.json(405, "{\"error\":\"PATCH a record\"}");
                }
                keep(new Received(method, model, id, json));
                if (rejectIds.containsKey(id)) {
                    return Reply.json(422, "{\"error\":\"" + rejectIds.get(id) + "\"}");
                }
                ObjectNode existing = store.get(id);
                if (existing == null) {
                    return Reply.json(404, "{\"error\":\"no " + model + " with id " + id + "\"}");
                }
                existing.setAll((ObjectNode) json);
                return Reply.json(200, existing.toString());
            }
            case "DELETE" -> {
                keep(new Received(method, model, id, null));
                return store.remove(id) != null ? new Reply(204, null, Map.of())
                        : Reply.json(404, "{\"error\":\"no " + model + " with id " + id + "\"}");
            }
            default -> {
                return Reply.json(405, "{\"error\":\"method not allowed\"}");
            }
        }
    }
}
