package org.intercomhub.pull;

import org.intercomhub.intercom.IntercomClient;
import org.intercomhub.intercom.Pager;

/**
 * How one collection is read from Intercom.
 *
 * @param name           the collection's name in routes, configuration and {@code /sync/status}
 * @param table          the warehouse table its records go to
 * @param mode           incremental or full refresh
 * @param timestampField the field that drives the high-water mark ({@code updated_at}, {@code created_at},
 *                       {@code deleted_at}); null for full refreshes
 * @param opener         opens the pager: lower bound (UNIX seconds) and resume cursor of the run
 * @param deletes        its items are deletions of {@code table}'s rows, not rows
 */
public record PullDefinition(String name, String table, SyncMode mode, String timestampField, PagerOpener opener,
                             boolean deletes) {

    @FunctionalInterface
    public interface PagerOpener {
        Pager open(IntercomClient client, long since, String resumeCursor, int perPage);
    }

    public boolean incremental() {
        return mode == SyncMode.INCREMENTAL;
    }
}
