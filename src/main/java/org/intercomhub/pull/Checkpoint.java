package org.intercomhub.pull;

import java.time.Instant;

/**
 * What a collection's pull has committed.
 *
 * @param highWater     the newest {@code updated_at} (or {@code created_at}) of a completed run, UNIX seconds
 * @param querySince    the lower bound of the run in progress (kept so a resumed run repeats the same query)
 * @param cursor        where the run in progress resumes, after its last committed page; null when none is open
 * @param runHighWater  the newest timestamp committed by the run in progress
 * @param runStartedAt  when the run in progress began (rows not written since then vanished, for full refreshes)
 */
public record Checkpoint(Long highWater, Long querySince, String cursor, Long runHighWater, Instant runStartedAt) {

    public static final Checkpoint NONE = new Checkpoint(null, null, null, null, null);

    public boolean runInProgress() {
        return runStartedAt != null;
    }
}
