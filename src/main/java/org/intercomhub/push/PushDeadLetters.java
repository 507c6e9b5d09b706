package org.intercomhub.push;

import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.record.CanonicalRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead letters of the push syncs (branch {@code push}, collection = the sync, record id = the row's key): a row
 * Intercom refused keeps one letter holding the request it was, refreshed while later runs are refused too, until the
 * row gets through (by a later run, or replayed by {@link PushReplay}).
 */
public class PushDeadLetters {

    public static final String BRANCH = "push";
    /** dead_letters.record_id is this long; a longer key (rare: emails stop at 254) is only in push_rows. */
    static final int MAX_KEY = 255;

    private final DeadLetters deadLetters;

    public PushDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Keeps (or refreshes) the letter of a row Intercom refused. */
    void refused(PushDefinition sync, PushRow row, String reason) {
        if (row.body() == null || row.key() == null || row.key().length() > MAX_KEY) {
            return; // no request was made: the model's row is wrong, and the next run says so again
        }
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("body", row.body());
        letter.put("company_id", row.companyId());
        letter.put("attributes", row.attributes());
        letter.put("hash", row.hash());
        deadLetters.put(BRANCH, CanonicalRecord.upsert(sync.sync(), row.key(), CanonicalRecord.Source.PUSH, null,
                letter, Map.of()), reason);
    }

    /** The row got through: its letter, if it had one, goes. */
    void delivered(PushDefinition sync, String key) {
        if (key.length() <= MAX_KEY) {
            deadLetters.removeRecord(BRANCH, sync.sync(), key);
        }
    }
}
