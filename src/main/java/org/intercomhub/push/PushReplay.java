package org.intercomhub.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.ReplayTarget;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.intercom.WriteResult;
import org.intercomhub.record.CanonicalRecord;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * The push syncs' dead letters (branch {@code push}, collection = the sync, record id = the row's key): a row Intercom
 * refused keeps one letter, with the request it was, until the row gets through, by a later run or by
 * {@code POST /dead-letters/replay}, which writes it again as a run would (through the remembered id or a lookup)
 * and records the outcome in push_rows. Never fed from the outbox: the model is this destination's queue.
 */
public class PushReplay extends ReplayTarget {

    private final PushSyncs syncs;
    private final PushRuns runs;
    private final ObjectMapper json;
    private final Clock clock;

    public PushReplay(PushSyncs syncs, PushRuns runs, ObjectMapper json, Clock clock) {
        super(PushDeadLetters.BRANCH);
        this.syncs = syncs;
        this.runs = runs;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected Outcome replay(CanonicalRecord letter) {
        PushDefinition sync = syncs.get(letter.collection());
        if (sync == null) {
            return Outcome.dropped("push sync " + letter.collection() + " is no longer declared");
        }
        // run ids are at most 40 characters (push_rows.run_id)
        String runId = "replay-" + UUID.randomUUID().toString().replace("-", "");
        PushRun run = new PushRun(runId, sync, new PushRowMapper(sync, json), clock.instant(), false);
        WriteResult result = runs.replay(run, rowOf(letter));
        return result.isRejected() ? Outcome.dead("Intercom refused it: " + result.reason()) : Outcome.delivered();
    }

    @SuppressWarnings("unchecked")
    private PushRow rowOf(CanonicalRecord record) {
        Map<String, Object> row = record.row();
        JsonNode body = json.valueToTree(row.get("body"));
        Map<String, String> attributes = row.get("attributes") instanceof Map<?, ?> map
                ? (Map<String, String>) map : Map.of();
        return new PushRow(record.id(), (ObjectNode) body, (String) row.get("company_id"), attributes,
                (String) row.get("hash"), null);
    }
}
