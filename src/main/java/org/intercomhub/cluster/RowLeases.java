package org.intercomhub.cluster;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Row-by-row claims on the bookkeeping queues (webhook inbox, branch outbox, tracking inbox), so that several hub
 * instances draining one queue never deliver the same row at once. A claim writes a token (the node's name and a
 * random part) and a lease end into the rows it takes, in one conditional UPDATE: a row another claim holds, or that
 * was settled meanwhile, is not taken. Settling a row clears its lease; a node that dies holding rows releases them
 * when the lease runs out.
 *
 * <p>Leases rather than {@code SELECT ... FOR UPDATE SKIP LOCKED}: a batch's delivery spans HTTP calls and several
 * steps of a Camel route, and a row lock lasts only as long as its transaction, which would then have to stay open on
 * one pinned connection across all of them; leases also work the same on PostgreSQL, every MariaDB/MySQL version and
 * H2.
 */
public class RowLeases {

    /** A queue table and its lease columns. */
    public record Columns(String table, String key, String claimedBy, String claimedUntil) {

        /** SQL that clears the lease, for the SET list of the statement that settles a row. */
        public String release() {
            return claimedBy + " = NULL, " + claimedUntil + " = NULL";
        }

        /** SQL true for a row no live claim holds; takes one argument, now. */
        public String free() {
            return "(" + claimedUntil + " IS NULL OR " + claimedUntil + " < ?)";
        }
    }

    private final JdbcTemplate jdbc;
    private final String node;
    private final Clock clock;
    private final Duration lease;
    private final TransactionTemplate transactions;

    public RowLeases(JdbcTemplate jdbc, ClusterNode node, Clock clock, Duration lease) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.node = node.name();
        this.clock = clock;
        this.lease = lease;
    }

    /** One node's leases with the default lease (tests and single-node wiring). */
    public static RowLeases local(JdbcTemplate jdbc, Clock clock) {
        return new RowLeases(jdbc, new ClusterNode("local"), clock, Duration.ofMinutes(2));
    }

    public long now() {
        return clock.millis();
    }

    /**
     * Claims the rows whose keys {@code candidates} lists (keys read as due and {@link Columns#free()}), if they are
     * still due ({@code stillDue}: plain SQL on the table's own columns, no arguments) and still free. Returns the
     * claim's token, or null when it got no row.
     */
    public String claim(Columns queue, List<?> candidates, String stillDue) {
        if (candidates.isEmpty()) {
            return null;
        }
        long now = clock.millis();
        String token = node + "/" + UUID.randomUUID().toString().substring(0, 8);
        // one statement per row, by its key, in one batch and one transaction: a single UPDATE with an IN list of the
        // keys let PostgreSQL, on the stale statistics of a queue table that grows by thousands of rows a second, read
        // the whole backlog through the pending index (30-100 ms for 100 keys); a key's equality always takes the key
        List<Object[]> rows = candidates.stream().map(key -> new Object[]{token, now + lease.toMillis(), key, now})
                .toList();
        int[] claimed = transactions.execute(status -> jdbc.batchUpdate("UPDATE " + queue.table() + " SET "
                + queue.claimedBy() + " = ?, " + queue.claimedUntil() + " = ? WHERE " + queue.key() + " = ? AND "
                + stillDue + " AND " + queue.free(), rows));
        // a driver that rewrites batches may report no count (negative): then the rows read by token tell
        return claimed == null || Arrays.stream(claimed).allMatch(n -> n == 0) ? null : token;
    }

    /** Gives back the rows of a claim that were not settled (delivery stopped early): free again at once. */
    public void releaseAll(Columns queue, String token) {
        if (token != null) {
            jdbc.update("UPDATE " + queue.table() + " SET " + queue.release() + " WHERE " + queue.claimedBy() + " = ?",
                    token);
        }
    }
}
