package org.intercomhub.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.intercomhub.cluster.ClusterRuns;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.intercomhub.sync.FailedRunRetries;
import org.intercomhub.sync.ScheduledRoutes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers {@code POST /push/{sync}} (run now), {@code POST /push/{sync}/preview} (dry run) and the {@code push}
 * section of {@code GET /sync/status} (routes/sync-api.camel.yaml).
 */
public class PushApi {

    static final int DEFAULT_PREVIEW_LIMIT = 1000;
    private static final int RECENT_RUNS = 5;

    private final CamelContext camel;
    private final PushSyncs syncs;
    private final PushRuns runs;
    /** A run going (or asked for) on another node answers 409 too. */
    private final ClusterRuns cluster;
    private final PushPreview preview;
    private final ObjectMapper json;

    public PushApi(CamelContext camel, PushSyncs syncs, PushRuns runs, PushPreview preview, ObjectMapper json,
                   ClusterRuns cluster) {
        this.cluster = cluster;
        this.camel = camel;
        this.syncs = syncs;
        this.runs = runs;
        this.preview = preview;
        this.json = json;
    }

    public void trigger(@Header("sync") String sync, Exchange exchange) throws JsonProcessingException {
        if (syncs.get(sync) == null) {
            unknown(exchange.getMessage(), sync);
            return;
        }
        Route route = ScheduledRoutes.started(camel, "intercom-push", sync);
        if (route == null) {
            respond(exchange.getMessage(), 409, Map.of("sync", sync, "outcome", "disabled",
                    "message", "the route push-" + sync + " is stopped"));
        } else if (runs.isRunning(sync) || cluster.busy("intercom-push", sync)) {
            respond(exchange.getMessage(), 409, Map.of("sync", sync, "outcome", "already_running",
                    "message", sync + " is already running; try again when it is done"));
        } else {
            ScheduledRoutes.fire(camel, route);
            respond(exchange.getMessage(), 202, Map.of("sync", sync, "outcome", "started",
                    "message", sync + " push started"));
        }
    }

    public void preview(@Header("sync") String sync, @Header("limit") String limit, Exchange exchange)
            throws JsonProcessingException {
        PushDefinition definition = syncs.get(sync);
        if (definition == null) {
            unknown(exchange.getMessage(), sync);
            return;
        }
        int rows;
        try {
            rows = limit == null || limit.isBlank() ? DEFAULT_PREVIEW_LIMIT : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            rows = -1;
        }
        if (rows < 1) {
            respond(exchange.getMessage(), 400, Map.of("error", "limit must be a positive whole number of rows"));
            return;
        }
        respond(exchange.getMessage(), 200, preview.preview(definition, rows));
    }

    /** Every sync with its definition, whether it is running, and its latest runs. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Instant> retriesDue = runs.retriesDue();
        syncs.all().forEach((name, sync) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("object", PushDefinition.lower(sync.object()));
            entry.put("match", sync.match());
            entry.put("mode", PushDefinition.lower(sync.mode()));
            entry.put("missing", PushDefinition.lower(sync.missing()));
            entry.put("running", runs.isRunning(name) || cluster.busy("intercom-push", name));
            entry.put("retry_at", FailedRunRetries.text(retriesDue.get(name)));
            entry.put("recent_runs", runs.state().recentRuns(name, RECENT_RUNS));
            out.put(name, entry);
        });
        return out;
    }

    private void unknown(Message message, String sync) throws JsonProcessingException {
        respond(message, 404, Map.of("sync", String.valueOf(sync), "outcome", "unknown",
                "message", "no push sync named " + sync + "; known: " + syncs.all().keySet()));
    }

    private void respond(Message message, int code, Object body) throws JsonProcessingException {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }
}
