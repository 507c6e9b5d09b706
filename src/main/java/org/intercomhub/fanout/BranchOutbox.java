package org.intercomhub.fanout;

import org.apache.camel.Exchange;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.inbox.ReadFloor;
import org.intercomhub.jdbc.MultiRowInsert;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.warehouse.AlsoCommitted;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The durable queue of each non-warehouse branch ({@code branch_outbox} in the bookkeeping schema). The fan-out
 * writes a batch's records for every enabled branch that wants them, right after the warehouse wrote the batch and
 * before the pull's checkpoint moves or the webhook rows are marked processed: a crash at any point loses nothing
 * (a repeated page or notification is sent again; Amplitude drops repeats by insert_id, CRM writes are upserts).
 * Each branch's route takes due rows, delivers them and settles them: a row leaves only when delivered, dropped or
 * moved to {@code dead_letters}. Rows are leased to the node delivering them ({@link RowLeases}): several instances
 * drain one branch's queue without sending a row twice at once.
 */
public class BranchOutbox {

    /** One stored record waiting for its branch. */
    public record Entry(String id, String branch, CanonicalRecord record, String recordJson, int attempts,
                        Long firstFailedAt) {
    }

    private static final int DELETE_CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String table;
    private final Clock clock;
    private final List<Branch> branches;
    private final AtomicLong lastSeq = new AtomicLong();
    private final RowLeases leases;
    private final RowLeases.Columns leased;
    private final MultiRowInsert insert;
    /**
     * Per branch: its takes read from past the rows it found due last time, less {@link #FLOOR_SLACK_MILLIS}, and
     * from the start every {@link ReadFloor#RESCAN_MILLIS}: taken rows stay in the due index as dead entries until a
     * vacuum, and a take that walked them all from the start cost 1-2 s with 100,000 rows taken (bench/fanout).
     */
    private final Map<String, ReadFloor> floors = new ConcurrentHashMap<>();
    /** Rows committed up to this long after later-due ones are still read from the floor. */
    static final long FLOOR_SLACK_MILLIS = 1_000;
    /** The next_attempt_at column's place in a row of {@link #rows}. */
    private static final int NEXT_ATTEMPT_AT = 7;

    public BranchOutbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, List<Branch> enabledBranches) {
        this(jdbc, schema, clock, enabledBranches, RowLeases.local(jdbc, clock));
    }

    public BranchOutbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, List<Branch> enabledBranches,
                        RowLeases leases) {
        this.leases = leases;
        this.leased = new RowLeases.Columns(schema.table("branch_outbox"), "id", "claimed_by", "claimed_until");
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.table = schema.table("branch_outbox");
        this.insert = new MultiRowInsert("INSERT INTO " + table + " (id, seq, branch, collection, record_id, record, "
                + "attempts, next_attempt_at)", "(?, ?, ?, ?, ?, ?, ?, ?)");
        this.clock = clock;
        this.branches = List.copyOf(enabledBranches);
    }

    /**
     * Runs {@code work} as one transaction of the bookkeeping database: what it writes through this queue and the
     * dead letters (same data source) is kept together or not at all.
     */
    <T> T inOneTransaction(Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }

    /** Called by the fan-out with each batch: stores the records every enabled branch accepts. */
    public void enqueue(List<CanonicalRecord> batch) {
        enqueued(batch);
    }

    /**
     * A batch's outbox rows made ready ahead (a pull's page, by its pull route, so that its writer only sends them):
     * used by {@link #enqueueWithWarehouse} for exactly these records.
     */
    public record PreparedRows(List<CanonicalRecord> records, List<Object[]> rows) {
    }

    /** The batch's outbox rows, for {@link #enqueueWithWarehouse} to store later. */
    public PreparedRows prepare(List<CanonicalRecord> batch) {
        return new PreparedRows(batch, rows(batch));
    }

    /**
     * Called by the fan-out before the warehouse write: the batch's rows for the enabled branches are written in the
     * warehouse write's transaction ({@link AlsoCommitted}), so the warehouse rows are never committed without them.
     * {@code prepared}: the rows made ready beforehand, used when they are the body's records; otherwise made here.
     */
    public void enqueueWithWarehouse(Exchange exchange, PreparedRows prepared) {
        List<CanonicalRecord> batch = exchange.getMessage().getBody(List.class);
        List<Object[]> rows = prepared != null && prepared.records() == batch ? prepared.rows() : rows(batch);
        if (!rows.isEmpty()) {
            AlsoCommitted.add(exchange, transaction -> insert(transaction, rows));
        }
    }

    /** Stores the batch for the enabled branches; returns how many outbox rows were written. */
    public int enqueued(List<CanonicalRecord> batch) {
        List<Object[]> rows = rows(batch);
        insert(jdbc, rows);
        return rows.size();
    }

    private void insert(JdbcTemplate into, List<Object[]> rows) {
        // due from now, not from when they were made ready: the branches read from past what they took
        // (FLOOR_SLACK_MILLIS), so rows must not be committed with an earlier time than rows already read
        long now = clock.millis();
        rows.forEach(row -> row[NEXT_ATTEMPT_AT] = now);
        insert.insert(into, rows);
    }

    /** The outbox rows of a batch: one per record and enabled branch that accepts it. */
    private List<Object[]> rows(List<CanonicalRecord> batch) {
        if (batch == null || batch.isEmpty() || branches.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        List<Object[]> rows = new ArrayList<>();
        for (CanonicalRecord record : batch) {
            for (Branch branch : branches) {
                if (branch.accepts(record)) {
                    // each branch's row holds only what that branch maps
                    rows.add(new Object[]{UUID.randomUUID().toString(), nextSeq(), branch.name(),
                            record.collection(), record.id(), RecordJson.write(branch.queued(record)), 0, now});
                }
            }
        }
        return rows;
    }

    /** Keeps the batch order within this process: micro-second clock, strictly increasing. */
    private long nextSeq() {
        long now = clock.millis() * 1000;
        return lastSeq.updateAndGet(last -> Math.max(last + 1, now));
    }

    /**
     * Claims the rows of a branch that are due now and no other node holds, earliest due first (new rows in the order
     * they came); each stays this node's until it is removed or rescheduled, or its lease runs out.
     */
    public List<Entry> due(String branch, int limit) {
        long now = clock.millis();
        ReadFloor floor = floor(branch);
        List<Object[]> due = jdbc.query("SELECT id, next_attempt_at FROM " + table + " WHERE branch = ? AND "
                        + "next_attempt_at >= ? AND next_attempt_at <= ? AND " + leased.free()
                        + " ORDER BY next_attempt_at, seq LIMIT " + Math.max(1, limit),
                (rs, n) -> new Object[]{rs.getString(1), rs.getLong(2)}, branch, floor.from(), now, now);
        if (!due.isEmpty()) {
            floor.raise((Long) due.get(0)[1] - FLOOR_SLACK_MILLIS);
        }
        List<String> candidates = due.stream().map(row -> (String) row[0]).toList();
        // a row rescheduled meanwhile by the node that held it is not due any more
        String claim = leases.claim(leased, candidates, "next_attempt_at <= " + now);
        if (claim == null) {
            return List.of();
        }
        // by the candidates' keys (claimed_by has no index: a scan of the whole queue per take)
        List<Object> args = new ArrayList<>(candidates.size() + 1);
        args.add(claim);
        args.addAll(candidates);
        return jdbc.query("SELECT id, record, attempts, first_failed_at FROM " + table + " WHERE claimed_by = ? AND id IN ("
                        + String.join(", ", Collections.nCopies(candidates.size(), "?")) + ") ORDER BY next_attempt_at, seq",
                (rs, i) -> {
                    long first = rs.getLong("first_failed_at");
                    String json = rs.getString("record");
                    return new Entry(rs.getString("id"), branch, RecordJson.read(json), json, rs.getInt("attempts"),
                            rs.wasNull() ? null : first);
                }, args.toArray());
    }

    private ReadFloor floor(String branch) {
        return floors.computeIfAbsent(branch, b -> new ReadFloor(clock));
    }

    /** Settled rows leave the queue: one statement per {@value #DELETE_CHUNK} rows. */
    public void remove(List<String> ids) {
        for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK));
            jdbc.update("DELETE FROM " + table + " WHERE id IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                    + ")", chunk.toArray());
        }
    }

    /** Gives rows back unsettled: free at once for this or another node. */
    public void release(List<Entry> entries) {
        jdbc.batchUpdate("UPDATE " + table + " SET " + leased.release() + " WHERE id = ?",
                entries.stream().map(e -> new Object[]{e.id()}).toList());
        // they are older than what the branch's takes read from now
        entries.stream().map(Entry::branch).distinct().forEach(branch -> floor(branch).startOver());
    }

    /** A failed or paused row: next try at {@code nextAttemptAt}. */
    public void reschedule(Entry entry, int attempts, long nextAttemptAt, String error) {
        jdbc.update("UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_error = ?, "
                        + "first_failed_at = COALESCE(first_failed_at, ?), " + leased.release() + " WHERE id = ?",
                attempts, nextAttemptAt, error, clock.millis(), entry.id());
    }

    /** A branch's queue: how many rows, and when the oldest was queued (epoch millis, null when empty). */
    public record Queue(long rows, Long oldestQueuedAt) {
        public static final Queue EMPTY = new Queue(0, null);
    }

    /**
     * One query (on the branch_outbox_due index) for both queue gauges. A row's {@code seq} is the clock in
     * microseconds when it was queued (moved on by one where rows come faster), so the smallest is when the oldest
     * waiting row was queued.
     */
    public Queue queue(String branch) {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(seq) FROM " + table + " WHERE branch = ?", (rs, n) -> {
            long rows = rs.getLong(1);
            long seq = rs.getLong(2);
            return new Queue(rows, rs.wasNull() ? null : seq / 1000);
        }, branch);
    }

    /** Rows waiting per branch. */
    public Map<String, Long> backlog(String branch) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE branch = ?", Long.class, branch);
        Map<String, Long> backlog = new LinkedHashMap<>();
        backlog.put("waiting", n == null ? 0 : n);
        return backlog;
    }
}
