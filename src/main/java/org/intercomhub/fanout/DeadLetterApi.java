package org.intercomhub.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers {@code GET /dead-letters} and {@code POST /dead-letters/replay} (see routes/dead-letters.camel.yaml). */
public class DeadLetterApi {

    private static final int MAX = 10_000;

    private final DeadLetters deadLetters;
    private final BranchRunner runner;
    private final ObjectMapper json;

    public DeadLetterApi(DeadLetters deadLetters, BranchRunner runner, ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.runner = runner;
        this.json = json;
    }

    /** {@code ?branch=&collection=&limit=}: the dead letters, oldest first. */
    public void list(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        int limit = in.getHeader("limit", 1000, Integer.class);
        List<DeadLetters.Letter> letters = deadLetters.list(in.getHeader("branch", String.class),
                in.getHeader("collection", String.class), null, Math.min(limit, MAX));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", letters.size());
        body.put("dead_letters", letters.stream().map(DeadLetters.Letter::toMap).toList());
        respond(in, 200, body);
    }

    /**
     * Which letters to replay, from a JSON body {@code {"all":true}}, {@code {"branch":"analytics"}},
     * {@code {"ids":["..."]}} (optionally with "collection"), or the same as query parameters
     * ({@code ?all=true}, {@code ?branch=crm}, {@code ?ids=a,b}). An empty selection is refused with 400.
     */
    public void replay(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String text = in.getBody(String.class);
        JsonNode body = text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        boolean all = body.path("all").asBoolean(false) || "true".equals(in.getHeader("all", String.class));
        String branch = body.hasNonNull("branch") ? body.get("branch").asText() : in.getHeader("branch", String.class);
        String collection = body.hasNonNull("collection") ? body.get("collection").asText()
                : in.getHeader("collection", String.class);
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(id -> ids.add(id.asText()));
        String idParam = in.getHeader("ids", String.class);
        if (idParam != null && !idParam.isBlank()) {
            Arrays.stream(idParam.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ids::add);
        }
        if (!all && (branch == null || branch.isBlank()) && ids.isEmpty()) {
            respond(in, 400, Map.of("message", "say which dead letters to replay: {\"all\":true}, "
                    + "{\"branch\":\"analytics\"} or {\"ids\":[...]}"));
            return;
        }
        List<DeadLetters.Letter> letters = deadLetters.list(branch, collection, ids, MAX);
        respond(in, 200, runner.replay(letters));
    }

    private void respond(Message message, int code, Object body) throws Exception {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
