package org.intercomhub.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Census's dry run: reads the model (up to a limit) and plans every row as a run would, with the same lookups (reads
 * only), and answers how many rows would be created, updated, left unchanged, archived, deleted or rejected, with a
 * sample of each. Writes nothing, neither to Intercom nor to the hub's bookkeeping.
 */
public class PushPreview {

    private final PushRuns runs;
    private final PushSources sources;
    private final ObjectMapper json;
    private final Clock clock;
    private final int samples;

    public PushPreview(PushRuns runs, PushSources sources, ObjectMapper json, Clock clock, int samples) {
        this.runs = runs;
        this.sources = sources;
        this.json = json;
        this.clock = clock;
        this.samples = samples;
    }

    /** What a preview found so far. */
    private final class Tally {
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
        /** Rows whose key the missing rule would otherwise count as gone. */
        long rememberedInModel;
        boolean more;

        Tally() {
            PushRun.OUTCOMES.forEach(outcome -> {
                counts.put(outcome, 0L);
                samples.put(outcome, new ArrayList<>());
            });
        }
    }

    public Map<String, Object> preview(PushDefinition sync, int limit) {
        PushRun run = new PushRun("preview-" + UUID.randomUUID(), sync, new PushRowMapper(sync, json), clock.instant(),
                true);
        Tally tally = new Tally();
        JdbcTemplate jdbc = new JdbcTemplate(sources.get(sync.source()));
        jdbc.setFetchSize(PushSources.FETCH_SIZE);
        ColumnMapRowMapper columns = new ColumnMapRowMapper();
        jdbc.query(sync.query(), (ResultSetExtractor<Void>) rs -> {
            while (rs.next()) {
                if (run.rowsRead() >= limit) {
                    tally.more = true;
                    break;
                }
                run.rowRead();
                plan(run, run.mapper().map(columns.mapRow(rs, (int) run.rowsRead())), tally);
            }
            return null;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sync", sync.sync());
        answer.put("rows_previewed", run.rowsRead());
        answer.put("model_has_more_rows", tally.more);
        if (sync.missing() != PushDefinition.Missing.KEEP) {
            answer.put("missing", missing(run, tally));
        }
        answer.put("counts", tally.counts);
        answer.put("samples", tally.samples);
        return answer;
    }

    private void plan(PushRun run, PushRow row, Tally tally) {
        PushState.Remembered remembered = row.key() == null ? null
                : runs.state().remembered(run.sync().sync(), row.key());
        if (remembered != null && remembered.intercomId() != null
                && !List.of("archived", "deleted").contains(remembered.outcome())) {
            tally.rememberedInModel++;
        }
        PushAction action = runs.writer().plan(run, row, remembered);
        String outcome = switch (action.kind()) {
            case REJECT -> "rejected";
            case UNCHANGED -> "unchanged";
            case CREATE, SEND -> "created";
            case UPSERT -> runs.writer().companyUpsertOutcome(action);
            case UPDATE -> "updated";
            case ARCHIVE -> "archived";
            case DELETE -> "deleted";
        };
        tally.counts.merge(outcome, 1L, Long::sum);
        List<Map<String, Object>> sample = tally.samples.get(outcome);
        if (sample.size() < samples) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", row.key());
            entry.put("intercom_id", action.intercomId());
            if (action.reason() != null) {
                entry.put("reason", action.reason());
            }
            if (!action.newAttributes().isEmpty()) {
                entry.put("creates_attributes", action.newAttributes());
            }
            sample.add(entry);
        }
    }

    /** The keys the missing rule would act on: remembered keys with a record in Intercom minus those still in the model. */
    private String missing(PushRun run, Tally tally) {
        PushDefinition sync = run.sync();
        if (tally.more) {
            return "not counted: the preview did not read the whole model (raise limit)";
        }
        if (run.rowsRead() == 0) {
            return "not applied: the model returned no rows";
        }
        long gone = runs.state().countMissing(sync.sync(), run.runId()) - tally.rememberedInModel;
        String outcome = sync.missing() == PushDefinition.Missing.DELETE ? "deleted" : "archived";
        tally.counts.merge(outcome, gone, Long::sum);
        return gone + " keys left the model and would be " + outcome;
    }
}
