package org.intercomhub.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.fanout.RoutedBranch;
import org.intercomhub.record.CanonicalRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analytics branch: Amplitude's HTTP V2 API, called by routes/analytics.camel.yaml. This bean cuts the records'
 * events into requests of at most {@code maxEvents} and under {@code maxBytes} ({@link #requests}), and applies
 * Amplitude's answer to each request the route's HTTP endpoint sent ({@link #answered}, {@link #failed}): 200
 * delivered; 400 naming events ({@code events_with_invalid_fields}, {@code events_with_missing_fields})
 * dead-letters exactly those with the reason and sends the rest again; 413 splits the request; 429 naming
 * {@code throttled_users} / {@code throttled_devices} pauses those users for {@code throttlePause} (their events
 * wait in the queue; later ones are held back without a request) and sends the others again; 5xx and network
 * errors are retried with backoff; any other answer dead-letters the request's events.
 */
public class AmplitudeBranch extends RoutedBranch {

    public static final String NAME = "analytics";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESENDS = 8;

    private final AnalyticsSettings settings;
    private final AnalyticsMapper mapper;
    private final Clock clock;
    /** Throttled user id to the epoch millisecond their pause ends. */
    private final Map<String, Long> pausedUntil = new ConcurrentHashMap<>();

    public AmplitudeBranch(AnalyticsSettings settings, Clock clock) {
        this.settings = settings;
        this.mapper = new AnalyticsMapper(settings.userIdField(), settings.groupType());
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

    @Override
    public CanonicalRecord queued(CanonicalRecord record) {
        return mapper.queued(record);
    }

    /** An event on its way, with the index of its record. */
    private record Pending(int index, ObjectNode event, String userId, int bytes) {
    }

    /**
     * One delivery of a list of records: the outcome of each, and the requests still to send (a 400 or 429 sends
     * the rest again, a 413 sends two halves). The route loops while {@link #hasRequests()}.
     */
    public static final class Delivery {
        private final Outcome[] outcomes;
        private final Deque<Request> requests = new ArrayDeque<>();

        Delivery(int size) {
            this.outcomes = new Outcome[size];
        }

        public boolean hasRequests() {
            return !requests.isEmpty();
        }

        /** The requests to send now (and forgets them: answers may queue new ones). */
        public List<Request> takeRequests() {
            List<Request> now = new ArrayList<>(requests);
            requests.clear();
            return now;
        }

        /** One outcome per record, in order. */
        public List<Outcome> outcomes() {
            return Arrays.asList(outcomes);
        }

        void settle(List<Pending> batch, Outcome outcome) {
            batch.forEach(p -> settle(p.index(), outcome));
        }

        /**
         * A record of several events (a group call) takes the outcome that needs the most: one still to send again
         * (retry, paused) over a refusal over a delivery; events already delivered go again with it and Amplitude
         * drops them by insert_id.
         */
        void settle(int index, Outcome outcome) {
            Outcome before = outcomes[index];
            if (before == null || rank(outcome) > rank(before)) {
                outcomes[index] = outcome;
            }
        }

        private static int rank(Outcome outcome) {
            return switch (outcome.kind()) {
                case DELIVERED -> 0;
                case DROPPED -> 1;
                case DEAD -> 2;
                case PAUSED -> 3;
                case RETRY -> 4;
            };
        }
    }

    /** One HTTP V2 request: its JSON body is {@link #getPayload()}. */
    public final class Request {
        private final Delivery delivery;
        private final List<Pending> batch;
        private final int depth;

        Request(Delivery delivery, List<Pending> batch, int depth) {
            this.delivery = delivery;
            this.batch = batch;
            this.depth = depth;
        }

        /** {@code {"api_key": ..., "events": [...]}}, marshalled to JSON by the route. */
        public Map<String, Object> getPayload() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("api_key", settings.apiKey());
            body.put("events", batch.stream().map(Pending::event).toList());
            return body;
        }

        public int getEventCount() {
            return batch.size();
        }
    }

    /** Maps the records to events (dropping those without a usable user id) and cuts them into requests. */
    public Delivery requests(List<CanonicalRecord> records) {
        Delivery delivery = new Delivery(records.size());
        List<Pending> pending = new ArrayList<>();
        long now = clock.millis();
        pausedUntil.values().removeIf(until -> until <= now);
        for (int i = 0; i < records.size(); i++) {
            AnalyticsMapper.Mapped mapped;
            try {
                mapped = mapper.map(records.get(i));
            } catch (RuntimeException e) {
                delivery.outcomes[i] = Outcome.dead("cannot map: " + e);
                continue;
            }
            if (mapped.events().isEmpty()) {
                delivery.outcomes[i] = Outcome.dropped(mapped.dropReason());
                continue;
            }
            Long until = pausedUntil.get(mapped.userId());
            if (until != null) {
                delivery.outcomes[i] = Outcome.paused("user throttled by Amplitude", Duration.ofMillis(until - now));
                continue;
            }
            for (ObjectNode event : mapped.events()) {
                pending.add(new Pending(i, event, mapped.userId(),
                        event.toString().getBytes(StandardCharsets.UTF_8).length + 1));
            }
        }
        for (List<Pending> batch : batches(pending)) {
            delivery.requests.add(new Request(delivery, batch, 0));
        }
        return delivery;
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

    /** Amplitude answered {@code request} with {@code status} and {@code body}. */
    public void answered(Request request, int status, String body) {
        Delivery delivery = request.delivery;
        List<Pending> batch = request.batch;
        JsonNode answer = parse(body);
        if (status >= 200 && status < 300) {
            delivery.settle(batch, Outcome.delivered());
        } else if (status == 400) {
            badRequest(request, answer, body);
        } else if (status == 413) {
            if (batch.size() == 1) {
                delivery.settle(batch, Outcome.dead("413 payload too large for a single event"));
            } else {
                int half = batch.size() / 2;
                resend(request, new ArrayList<>(batch.subList(0, half)));
                resend(request, new ArrayList<>(batch.subList(half, batch.size())));
            }
        } else if (status == 429) {
            throttled(request, answer);
        } else if (status >= 500) {
            delivery.settle(batch, Outcome.retry("HTTP " + status + ": " + abbreviate(body)));
        } else {
            delivery.settle(batch, Outcome.dead("HTTP " + status + ": " + abbreviate(body)));
        }
    }

    /** The request did not reach Amplitude or got no answer (connection refused, timeout): retried with backoff. */
    public void failed(Request request, Exception error) {
        request.delivery.settle(request.batch, Outcome.retry("POST " + settings.url() + ": " + error));
    }

    private void resend(Request request, List<Pending> batch) {
        if (!batch.isEmpty()) {
            request.delivery.requests.add(new Request(request.delivery, batch, request.depth + 1));
        }
    }

    /** 400: the named events are dead letters with their reason; the others go again. */
    private void badRequest(Request request, JsonNode answer, String body) {
        List<Pending> batch = request.batch;
        Map<Integer, String> reasons = new java.util.TreeMap<>();
        collect(answer.path("events_with_invalid_fields"), "invalid field ", reasons);
        collect(answer.path("events_with_missing_fields"), "missing field ", reasons);
        if (reasons.isEmpty() || request.depth >= MAX_RESENDS) {
            request.delivery.settle(batch, Outcome.dead("HTTP 400: " + abbreviate(body)));
            return;
        }
        String error = answer.path("error").asText("");
        List<Pending> rest = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            String reason = reasons.get(i);
            if (reason != null) {
                request.delivery.settle(batch.get(i).index(),
                        Outcome.dead("HTTP 400 " + reason + (error.isEmpty() ? "" : " (" + error + ")")));
            } else {
                rest.add(batch.get(i));
            }
        }
        resend(request, rest);
    }

    private static void collect(JsonNode byField, String prefix, Map<Integer, String> reasons) {
        byField.fields().forEachRemaining(field -> field.getValue().forEach(index ->
                reasons.merge(index.asInt(), prefix + field.getKey(), (a, b) -> a + ", " + b)));
    }

    /** 429: only the throttled users wait; the others go again at once. */
    private void throttled(Request request, JsonNode answer) {
        Set<String> users = new HashSet<>();
        answer.path("throttled_users").fieldNames().forEachRemaining(users::add);
        Set<String> devices = new HashSet<>();
        answer.path("throttled_devices").fieldNames().forEachRemaining(devices::add);
        if ((users.isEmpty() && devices.isEmpty()) || request.depth >= MAX_RESENDS) {
            request.delivery.settle(request.batch, Outcome.retry("HTTP 429 without throttled users"));
            return;
        }
        long until = clock.millis() + settings.throttlePause().toMillis();
        List<Pending> others = new ArrayList<>();
        for (Pending p : request.batch) {
            String device = p.event().path("device_id").asText(null);
            if (users.contains(p.userId()) || (device != null && devices.contains(device))) {
                pausedUntil.put(p.userId(), until);
                request.delivery.settle(p.index(), Outcome.paused("user throttled by Amplitude",
                        settings.throttlePause()));
            } else {
                others.add(p);
            }
        }
        resend(request, others);
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
