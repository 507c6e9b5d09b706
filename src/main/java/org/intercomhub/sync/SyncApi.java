package org.intercomhub.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers {@code GET /sync/status}, {@code GET /sync/runs} and {@code POST /sync/{collection}} (see
 * routes/sync-api.camel.yaml).
 */
public class SyncApi {

    /** The most runs {@code GET /sync/runs} answers at once. */
    static final int MAX_RUNS = 1000;

    private final SyncStatusBoard status;
    private final SyncTrigger trigger;
    private final ObjectMapper json;
    private final FailedRunRetries retries;
    /** Further parts of the status page, e.g. webhooks, registered by their own configuration. */
    private final Map<String, Supplier<Object>> sections = new java.util.concurrent.ConcurrentSkipListMap<>();

    public SyncApi(SyncStatusBoard status, SyncTrigger trigger, ObjectMapper json, FailedRunRetries retries) {
        this.retries = retries;
        this.status = status;
        this.trigger = trigger;
        this.json = json;
    }

    public void status(Exchange exchange) throws JsonProcessingException {
        for (String collection : trigger.collections()) {
            status.of(collection); // list every collection, also those that never ran
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("collections", status.snapshot());
        Map<String, Map<String, Object>> schedules = status.schedules();
        // a failed run's retry, when one is pending (sync.retry-failed-runs)
        Map<String, Instant> due = retries.pending("intercom-pull");
        schedules.forEach((collection, schedule) -> schedule.put("retry_at", FailedRunRetries.text(due.get(collection))));
        body.put("schedules", schedules);
        sections.forEach((name, section) -> body.put(name, section.get()));
        respond(exchange.getMessage(), 200, body);
    }

    /**
     * {@code GET /sync/runs?limit=&collection=}: the newest runs from the run history, newest first (default 100, at
     * most {@value #MAX_RUNS}); 400 for a limit that is not a positive number.
     */
    public void runs(Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        String limitText = message.getHeader("limit", String.class);
        int limit;
        try {
            limit = limitText == null || limitText.isBlank() ? 100 : Integer.parseInt(limitText.strip());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1) {
            respond(message, 400, Map.of("message", "limit must be a whole number from 1 to " + MAX_RUNS));
            return;
        }
        String collection = message.getHeader("collection", String.class);
        List<Map<String, Object>> runs = status.recentRuns(
                collection == null || collection.isBlank() ? null : collection, Math.min(limit, MAX_RUNS));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", runs.size());
        body.put("runs", runs);
        respond(message, 200, body);
    }

    public void addSection(String name, Supplier<Object> section) {
        sections.put(name, section);
    }

    public void trigger(String collection, Exchange exchange) throws JsonProcessingException {
        Message message = exchange.getMessage();
        if ("all".equals(collection)) {
            Map<String, String> outcomes = new LinkedHashMap<>();
            boolean anyRunning = status.anyRunning();
            status.summaryWhenIdle();
            for (String name : trigger.collections()) {
                outcomes.put(name, trigger.trigger(name).name().toLowerCase());
            }
            respond(message, anyRunning ? 409 : 202, Map.of("collections", outcomes));
            return;
        }
        SyncTrigger.Outcome outcome = trigger.trigger(collection);
        int code = switch (outcome) {
            case STARTED -> 202;
            case ALREADY_RUNNING -> 409;
            case DISABLED -> 409;
            case UNKNOWN -> 404;
        };
        String text = switch (outcome) {
            case STARTED -> collection + " sync started";
            case ALREADY_RUNNING -> collection + " is already being synced; try again when it is done";
            case DISABLED -> collection + " is switched off (sync.collections." + collection + ".enabled)";
            case UNKNOWN -> "no collection named " + collection + "; known: " + trigger.collections();
        };
        respond(message, code, Map.of("collection", collection, "outcome", outcome.name().toLowerCase(),
                "message", text));
    }

    private void respond(Message message, int code, Object body) throws JsonProcessingException {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
