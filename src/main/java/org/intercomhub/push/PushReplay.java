package org.intercomhub.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.intercom.IntercomException;
import org.intercomhub.intercom.WriteResult;
import org.intercomhub.record.CanonicalRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The push syncs' dead letters (branch {@code push}, collection = the sync, record id = the row's key): a row Intercom
 * refused keeps one letter, with the request it was, until the row gets through, by a later run or by
 * {@code POST /dead-letters/replay}, which writes it again as a run would (through the remembered id or a lookup)
 * and records the outcome in push_rows. Never fed from the outbox: the model is this destination's queue.
 */
public class PushReplay implements Branch {

    private final PushSyncs syncs;
    private final PushRuns runs;
    private final ObjectMapper json;
    private final Clock clock;

    public PushReplay(PushSyncs syncs, PushRuns runs, ObjectMapper json, Clock clock) {
        this.syncs = syncs;
        this.runs = runs;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return PushDeadLetters.BRANCH;
    }

    @Override
    public boolean accepts(CanonicalRecord record) {
        return false;
    }

    @Override
    public List<Outcome> deliver(List<CanonicalRecord> records) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        for (CanonicalRecord record : records) {
            PushDefinition sync = syncs.get(record.collection());
            if (sync == null) {
                outcomes.add(Outcome.dropped("push sync " + record.collection() + " is no longer declared"));
                continue;
            }
            try {
                // run ids are at most 40 characters (push_rows.run_id)
                String runId = "replay-" + UUID.randomUUID().toString().replace("-", "");
                PushRun run = new PushRun(runId, sync, new PushRowMapper(sync, json), clock.instant(), false);
                WriteResult result = runs.replay(run, rowOf(record));
                outcomes.add(result.isRejected() ? Outcome.dead("Intercom refused it: " + result.reason())
                        : Outcome.delivered());
            } catch (IntercomException e) {
                outcomes.add(Outcome.retry("Intercom unavailable: " + e.getMessage()));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.retry(e.toString()));
            }
        }
        return outcomes;
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
