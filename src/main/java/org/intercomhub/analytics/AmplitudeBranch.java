package org.intercomhub.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.record.CanonicalRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analytics branch: Amplitude's HTTP V2 API. Events go in requests of at most {@code maxEvents} and under
 * {@code maxBytes}. Answers: 200 delivered; 400 naming events ({@code events_with_invalid_fields},
 * {@code events_with_missing_fields}) dead-letters exactly those with the reason and sends the rest again; 413 splits
 * the request; 429 naming {@code throttled_users} / {@code throttled_devices} pauses those users for
 * {@code throttlePause} (their events wait in the queue; later ones are held back without a request) and sends the
 * others again; 5xx and network errors are retried with backoff; any other answer dead-letters the request's events.
 */
public class AmplitudeBranch implements Branch {

    public static final String NAME = "analytics";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESENDS = 8;

    private final AnalyticsSettings settings;
    private final AnalyticsMapper mapper;
    private final HttpClient http;
    private final Clock clock;
    /** Throttled user id to the epoch millisecond their pause ends. */
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    public AmplitudeBranch(AnalyticsSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new AnalyticsMapper(settings.userIdField());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(CanonicalRecord record) {
        return mapper.accepts(record);
    }

    /** An event on its way, with the index of its record. */
    private record Pending(int index, ObjectNode event, String userId, int bytes) {
    }

    @Override
    public List<Outcome> deliver(List<CanonicalRecord> records) {
        Outcome[] outcomes = new Outcome[records.size()];
        List<Pending> pending = new ArrayList<>();
        long now = clock.millis();
        pausedUntil.values().removeIf(until -> until <= now);
        for (int i = 0; i < records.size(); i++) {
            AnalyticsMapper.Mapped mapped;
            try {
                mapped = mapper.map(records.get(i));
            } catch (RuntimeException e) {
                outcomes[i] = Outcome.dead("cannot map: " + e);
                continue;
            }
            if (mapped.event() == null) {
                outcomes[i] = Outcome.dropped(mapped.dropReason());
                continue;
            }
            Long until = pausedUntil.get(mapped.userId());
            if (until != null) {
                outcomes[i] = Outcome.paused("user throttled by Amplitude", Duration.ofMillis(until - now));
                continue;
            }
            pending.add(new Pending(i, mapped.event(), mapped.userId(),
                    mapped.event().toString().getBytes(StandardCharsets.UTF_8).length + 1));
        }
        for (List<Pending> batch : batches(pending)) {
            send(batch, outcomes, 0);
        }
        return Arrays.asList(outcomes);
    }

    /** At most maxEvents per request and the body under maxBytes. */
    private List<List<Pending>> batches(List<Pending> pending) {
        List<List<Pending>> batches = new ArrayList<>();
        int envelope = settings.apiKey().length() + 40;
        List<Pending> current = new ArrayList<>();
        int bytes = envelope;
        for (Pending p : pending) {
            if (!current.isEmpty() && (current.size() >= settings.maxEvents() || bytes + p.bytes() >= settings.maxBytes())) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = envelope;
            }
            current.add(p);
            bytes += p.bytes();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private void send(List<Pending> batch, Outcome[] outcomes, int depth) {
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("api_key", settings.apiKey());
        var events = body.putArray("events");
        batch.forEach(p -> events.add(p.event()));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(settings.url()))
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "*/*")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settle(batch, outcomes, Outcome.retry("interrupted"));
            return;
        } catch (Exception e) {
            settle(batch, outcomes, Outcome.retry("POST " + settings.url() + ": " + e));
            return;
        }
        int code = response.statusCode();
        JsonNode answer = parse(response.body());
        if (code >= 200 && code < 300) {
            settle(batch, outcomes, Outcome.delivered());
        } else if (code == 400) {
            badRequest(batch, outcomes, answer, response.body(), depth);
        } else if (code == 413) {
            if (batch.size() == 1) {
                settle(batch, outcomes, Outcome.dead("413 payload too large for a single event"));
            } else {
                int half = batch.size() / 2;
                send(new ArrayList<>(batch.subList(0, half)), outcomes, depth + 1);
                send(new ArrayList<>(batch.subList(half, batch.size())), outcomes, depth + 1);
            }
        } else if (code == 429) {
            throttled(batch, outcomes, answer, depth);
        } else if (code >= 500) {
            settle(batch, outcomes, Outcome.retry("HTTP " + code + ": " + abbreviate(response.body())));
        } else {
            settle(batch, outcomes, Outcome.dead("HTTP " + code + ": " + abbreviate(response.body())));
        }
    }

    /** 400: the named events are dead letters with their reason; the others go again. */
    private void badRequest(List<Pending> batch, Outcome[] outcomes, JsonNode answer, String body, int depth) {
        Map<Integer, String> reasons = new java.util.TreeMap<>();
        collect(answer.path("events_with_invalid_fields"), "invalid field ", reasons);
        collect(answer.path("events_with_missing_fields"), "missing field ", reasons);
        if (reasons.isEmpty() || depth >= MAX_RESENDS) {
            settle(batch, outcomes, Outcome.dead("HTTP 400: " + abbreviate(body)));
            return;
        }
        String error = answer.path("error").asText("");
        List<Pending> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String reason = reasons.get(i);
            if (reason != null) {
                outcomes[batch.get(i).index()] = Outcome.dead("HTTP 400 " + reason + (error.isEmpty() ? "" : " (" + error + ")"));
            } else {
                rest.add(batch.get(i));
            }
        }
        send(rest, outcomes, depth + 1);
    }

    private static void collect(JsonNode byField, String prefix, Map<Integer, String> reasons) {
        byField.fields().forEachRemaining(field -> field.getValue().forEach(index ->
                reasons.merge(index.asInt(), prefix + field.getKey(), (a, b) -> a + ", " + b)));
    }

    /** 429: only the throttled users wait; the others go again at once. */
    private void throttled(List<Pending> batch, Outcome[] outcomes, JsonNode answer, int depth) {
        Set<String> users = new HashSet<>();
        answer.path("throttled_users").fieldNames().forEachRemaining(users::add);
        Set<String> devices = new HashSet<>();
        answer.path("throttled_devices").fieldNames().forEachRemaining(devices::add);
        if ((users.isEmpty() && devices.isEmpty()) || depth >= MAX_RESENDS) {
            settle(batch, outcomes, Outcome.retry("HTTP 429 without throttled users"));
            return;
        }
        long until = clock.millis() + settings.throttlePause().toMillis();
        List<Pending> others = new ArrayList<>();
        for (Pending p : batch) {
            String device = p.event().path("device_id").asText(null);
            if (users.contains(p.userId()) || (device != null && devices.contains(device))) {
                pausedUntil.put(p.userId(), until);
                outcomes[p.index()] = Outcome.paused("user throttled by Amplitude", settings.throttlePause());
            } else {
                others.add(p);
            }
        }
        send(others, outcomes, depth + 1);
    }

    private static void settle(List<Pending> batch, Outcome[] outcomes, Outcome outcome) {
        batch.forEach(p -> outcomes[p.index()] = outcome);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }
}
