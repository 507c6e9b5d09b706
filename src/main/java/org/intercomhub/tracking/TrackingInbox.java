package org.intercomhub.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.inbox.GroupCommit;
import org.intercomhub.inbox.BurstHold;
import org.intercomhub.inbox.InboxProperties;
import org.intercomhub.inbox.ReadFloor;
import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable record of every accepted tracking call ({@code tracking_inbox} in the bookkeeping schema). A request is
 * answered 200 only after its calls are committed here, all of them or none. Two readers drain it independently: the
 * Intercom side takes each user's calls in {@code seq} order (a call waiting for a retry holds back its user's later
 * calls, no one else's), the fan-out side takes every call once for the warehouse and analytics, so an Intercom
 * outage never delays the warehouse. Each reader leases the rows it takes ({@link RowLeases}; columns of its own), so
 * several instances drain the inbox without applying or fanning out a call twice at once; a user's calls stay in
 * order across nodes (a node takes no call of a user while another holds an earlier one). The calls of concurrent
 * requests are committed together ({@link GroupCommit}); {@link #close()} commits those still queued.
 */
public class TrackingInbox implements AutoCloseable {

    private static final int MAX_ERROR_LENGTH = 2000;
    /** How many seq numbers one read of pending calls spans while looking for due ones (see {@link #due}). */
    static final int PENDING_WINDOW = 1000;
    /** The calls whose applied outcome names the user's contact (tracking_contacts). */
    private static final Set<String> CONTACT_CALLS = Set.of("identify", "page", "screen", "alias");

    /** A stored call; {@code body} is its JSON. */
    public record Entry(long seq, String messageId, String type, String userKey, String body, long receivedAt,
                        int attempts, Long firstFailedAt) {
    }

    /** A group call's attachment waiting for its user to reach Intercom. */
    public record Attachment(String userKey, String companyId, String groupId, String userId, String email,
                             String messageId, long createdAt, int attempts) {
    }

    /**
     * Calls not applied to Intercom yet: how many, and when the oldest arrived (null when none); and calls the
     * warehouse and analytics have not had yet (Intercom's rate limit holds back the first, never the second).
     */
    public record Backlog(long rows, Long oldestReceivedAt, long notFannedOut) {
        public static final Backlog NONE = new Backlog(0, null, 0);
    }

    /** A call on its way into the inbox: its JSON text and the time it arrived. */
    private record Received(TrackingCall call, String body, long receivedAt) {
    }

    private final JdbcTemplate jdbc;
    private final GroupCommit<Received> commits;
    private final String table;
    private final String attachments;
    private final String contacts;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final RowLeases leases;
    private final RowLeases.Columns applying;
    private final RowLeases.Columns fanningOut;
    /** The fan-out reads calls from this seq on (see {@link #notFannedOut}); one fan-out reader per instance. */
    private final ReadFloor fanoutFloor;
    /** The Intercom side reads pending calls from this seq on (see {@link #due}); one applying reader per instance. */
    private final ReadFloor pendingFloor;
    /** The fan-out waits during a burst of calls, so they are acknowledged faster (applying them does not). */
    private final BurstHold burst;

    public TrackingInbox(JdbcTemplate jdbc, BookkeepingSchema schema, ObjectMapper json, Clock clock) {
        this(jdbc, schema, json, clock, RowLeases.local(jdbc, clock));
    }

    public TrackingInbox(JdbcTemplate jdbc, BookkeepingSchema schema, ObjectMapper json, Clock clock,
                         RowLeases leases) {
        this(jdbc, schema, json, clock, leases, InboxProperties.defaults());
    }

    public TrackingInbox(JdbcTemplate jdbc, BookkeepingSchema schema, ObjectMapper json, Clock clock,
                         RowLeases leases, InboxProperties inbox) {
        this.leases = leases;
        this.applying = new RowLeases.Columns(schema.table("tracking_inbox"), "seq", "claimed_by", "claimed_until");
        this.fanningOut = new RowLeases.Columns(schema.table("tracking_inbox"), "seq", "fanout_claimed_by",
                "fanout_claimed_until");
        this.jdbc = jdbc;
        this.table = schema.table("tracking_inbox");
        this.commits = new GroupCommit<>("tracking-inbox", jdbc, new GroupCommit.Table<>(table, "message_id",
                "INSERT INTO " + table + " (message_id, call_type, user_key, received_at, body, attempts)",
                "(?, ?, ?, ?, ?, 0)",
                row -> row.call().messageId(),
                row -> new Object[]{row.call().messageId(), row.call().type(), row.call().userKey(),
                        row.receivedAt(), row.body()}), inbox);
        this.attachments = schema.table("tracking_attachments");
        this.contacts = schema.table("tracking_contacts");
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.json = json;
        this.clock = clock;
        this.fanoutFloor = new ReadFloor(clock);
        this.pendingFloor = new ReadFloor(clock);
        this.burst = inbox.burstHold("Tracking fan-out", clock);
    }

    /**
     * Returns once the calls are committed in their order, all or none (with those of concurrent requests); a call
     * whose messageId is already stored (a client retrying), or repeated, is left out. Returns the calls that were
     * new. A database failure is thrown.
     */
    public List<TrackingCall> store(List<TrackingCall> calls) {
        long now = clock.millis();
        List<Received> rows = new ArrayList<>(calls.size());
        calls.forEach(call -> rows.add(new Received(call, text(call), now)));
        return burst.storing(() -> commits.store(rows)).stream().map(Received::call).toList();
    }

    /** Whether the fan-out is holding back during a burst of calls. */
    public boolean fanoutHeldForBurst() {
        return burst.holding();
    }

    /** Commits the calls still queued, takes no more. */
    @Override
    public void close() {
        commits.close();
    }

    private String text(TrackingCall call) {
        try {
            return json.writeValueAsString(call.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pending call as {@link #due} sees it: whose it is and whether it waits for a retry or a lease. */
    private record Pending(long seq, String userKey, boolean blocked) {
    }

    /**
     * The oldest calls not applied yet, in seq order, leaving out every call behind one of its user's that is not
     * due: one waiting for its retry, or held by another node (which applies the user's calls in order). Pending
     * calls are read in windows of {@link #PENDING_WINDOW} seq numbers and sorted out here, so a read costs the calls
     * it looks at, however long the backlog: an anti-join over every pending call took 30 to 60 ms a round with
     * 20,000 waiting, and an {@code ORDER BY seq LIMIT} over them let PostgreSQL, on a fast-growing table's stale
     * statistics, sort the whole backlog (about 12 ms).
     */
    public List<Entry> due(int limit) {
        long leaseNow = leases.now();
        long now = clock.millis();
        int wanted = Math.max(1, limit);
        List<Long> candidates = new ArrayList<>(wanted);
        Set<String> blockedUsers = new HashSet<>();
        boolean first = true;
        // window after window; an empty window (an applied stretch: a rescan from 0, a burst applied behind a
        // waiting user) is stepped over by one index look-up to the next pending call, never read window by window.
        // Only then: that look-up, on a generic plan and a fast-growing table's stale statistics, could read every
        // pending call past it (17 ms a round with the bench's backlog when it ran after every window)
        Long from = pendingFloor.from();
        while (from != null && candidates.size() < wanted) {
            List<Pending> window = jdbc.query("SELECT seq, user_key, next_attempt_at, claimed_until FROM " + table
                            + " WHERE applied_at IS NULL AND seq >= ? AND seq < ? ORDER BY seq",
                    (rs, n) -> {
                        Long retryAt = nullable(rs.getLong(3), rs.wasNull());
                        Long heldUntil = nullable(rs.getLong(4), rs.wasNull());
                        return new Pending(rs.getLong(1), rs.getString(2),
                                (retryAt != null && retryAt > now) || (heldUntil != null && heldUntil >= leaseNow));
                    }, from, from + PENDING_WINDOW);
            from = window.isEmpty() ? nextPending(from + PENDING_WINDOW) : Long.valueOf(from + PENDING_WINDOW);
            for (Pending call : window) {
                if (first) {
                    // calls below the first pending one were applied: later reads start here
                    pendingFloor.raise(call.seq());
                    first = false;
                }
                if (blockedUsers.contains(call.userKey())) {
                    continue;
                }
                if (call.blocked()) {
                    blockedUsers.add(call.userKey());
                } else if (candidates.size() < wanted) {
                    candidates.add(call.seq());
                }
            }
        }
        String claim = leases.claim(applying, candidates, "applied_at IS NULL");
        if (claim == null) {
            return List.of();
        }
        // two nodes claiming at once may each win calls of one user, and a call committed late may sit before a
        // claimed one: keep a call only when no earlier call of its user waits outside this claim, give the others
        // back. The earlier call is looked up per claimed call (a correlated subquery, which PostgreSQL does not turn
        // into a join), by the user's index: as a join, PostgreSQL planned it as a scan of every pending call on the
        // inbox's stale statistics (2.8 s a round once with the bench's backlog, 6-8 ms otherwise)
        List<Object> args = new ArrayList<>(candidates);
        args.add(claim);
        args.add(claim);
        List<Long> overtaking = jdbc.queryForList("SELECT c.seq FROM " + table + " c WHERE c.seq IN ("
                + placeholders(candidates.size()) + ") AND c.claimed_by = ? AND (SELECT MIN(e.seq) FROM " + table
                + " e WHERE e.user_key = c.user_key AND e.applied_at IS NULL AND e.seq < c.seq AND (e.claimed_by IS"
                + " NULL OR e.claimed_by <> ?)) IS NOT NULL", Long.class, args.toArray());
        if (!overtaking.isEmpty()) {
            jdbc.batchUpdate("UPDATE " + table + " SET " + applying.release() + " WHERE seq = ? AND claimed_by = ?",
                    overtaking.stream().map(seq -> new Object[]{seq, claim}).toList());
        }
        return claimed(candidates, "claimed_by", claim);
    }

    /** The first call not applied yet from this seq on; null when none. */
    private Long nextPending(long from) {
        return jdbc.queryForObject("SELECT MIN(seq) FROM " + table + " WHERE applied_at IS NULL AND seq >= ?",
                Long.class, from);
    }

    /** Gives back the calls of a round that were neither settled nor failed (held back, or Intercom went away). */
    public void release(List<Entry> entries) {
        jdbc.batchUpdate("UPDATE " + table + " SET " + applying.release() + " WHERE seq = ? AND applied_at IS NULL"
                + " AND claimed_until IS NOT NULL", entries.stream().map(e -> new Object[]{e.seq()}).toList());
    }

    /**
     * Intercom took the call (outcome applied), or it is settled otherwise (skipped, dead_lettered). The contact an
     * applied identify, page, screen or alias wrote becomes its user's, in the same transaction.
     */
    public void settled(Entry entry, String outcome, String intercomId, String note) {
        boolean writesContact = "applied".equals(outcome) && intercomId != null
                && CONTACT_CALLS.contains(entry.type());
        Runnable settle = () -> jdbc.update("UPDATE " + table + " SET applied_at = ?, outcome = ?, intercom_id = ?,"
                        + " last_error = ?, next_attempt_at = NULL, " + applying.release() + " WHERE seq = ?",
                clock.millis(), outcome, intercomId, clip(note), entry.seq());
        if (!writesContact) {
            settle.run();
            return;
        }
        transactions.executeWithoutResult(status -> {
            settle.run();
            rememberContact(entry.userKey(), intercomId, entry.seq());
        });
    }

    /** The user's contact is this one unless a later call of the user wrote another. */
    private void rememberContact(String userKey, String intercomId, long seq) {
        if (jdbc.update("UPDATE " + contacts + " SET intercom_id = ?, seq = ? WHERE user_key = ? AND seq < ?",
                intercomId, seq, userKey, seq) == 1) {
            return;
        }
        try {
            jdbc.update("INSERT INTO " + contacts + " (user_key, intercom_id, seq) VALUES (?, ?, ?)", userKey,
                    intercomId, seq);
        } catch (DuplicateKeyException e) {
            // the user's row holds a later call's contact
        }
    }

    /** The call failed and waits until {@code nextAttemptAt}; its user's later calls wait with it. */
    public void failed(Entry entry, int attempts, long nextAttemptAt, String error) {
        jdbc.update("UPDATE " + table + " SET attempts = ?, next_attempt_at = ?, last_error = ?,"
                        + " first_failed_at = COALESCE(first_failed_at, ?), " + applying.release() + " WHERE seq = ?", attempts, nextAttemptAt,
                clip(error), clock.millis(), entry.seq());
    }

    /** Whether a call before {@code seq} of one of these users is not applied yet. */
    public boolean earlierPending(long seq, List<String> userKeys) {
        Integer pending = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE user_key IN ("
                + placeholders(userKeys.size()) + ") AND applied_at IS NULL AND seq < ?", Integer.class,
                java.util.stream.Stream.concat(userKeys.stream(), java.util.stream.Stream.of(seq)).toArray());
        return pending != null && pending > 0;
    }

    /**
     * Intercom's id of the contact this user's latest applied identify, page or screen wrote (or an alias merged the
     * user's lead into, or made the user of); null when none is known. One row by key, however many calls the user
     * sent.
     */
    public String contactId(String userKey) {
        List<String> ids = jdbc.queryForList("SELECT intercom_id FROM " + contacts + " WHERE user_key = ?",
                String.class, userKey);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Calls the warehouse and analytics have not had yet, in seq order. Read from {@link #fanoutFloor} on: below it
     * every call was fanned out when last looked, and the index entries of those calls (dead until a vacuum) are
     * not walked again each time, which cost milliseconds a query after a burst. What the floor can step over (calls
     * another node held when it moved, a batch whose fan-out failed and whose lease ran out since, another node's
     * calls committed late) is found by reading from the start again every {@link ReadFloor#RESCAN_MILLIS}.
     * None while a burst holds the fan-out back ({@link BurstHold}).
     */
    public List<Entry> notFannedOut(int limit) {
        if (burst.holdsBack()) {
            return List.of();
        }
        List<Long> candidates = jdbc.queryForList("SELECT seq FROM " + table + " WHERE fanned_out_at IS NULL AND"
                + " seq >= ? AND " + fanningOut.free() + " ORDER BY seq LIMIT " + Math.max(1, limit), Long.class,
                fanoutFloor.from(), leases.now());
        if (candidates.isEmpty()) {
            burst.emptied();
        } else {
            fanoutFloor.raise(candidates.get(0));
        }
        String claim = leases.claim(fanningOut, candidates, "fanned_out_at IS NULL");
        if (claim == null) {
            return List.of();
        }
        return claimed(candidates, "fanout_claimed_by", claim);
    }

    /**
     * The candidates this claim holds, in seq order: looked up by primary key among the candidates, since the claim
     * columns have no index and the inbox may hold millions of rows.
     */
    private List<Entry> claimed(List<Long> candidates, String claimColumn, String claim) {
        List<Object> args = new ArrayList<>(candidates);
        args.add(claim);
        return jdbc.query("SELECT seq, message_id, call_type, user_key, body, received_at, attempts, first_failed_at"
                        + " FROM " + table + " WHERE seq IN (" + placeholders(candidates.size()) + ") AND "
                        + claimColumn + " = ? ORDER BY seq",
                (rs, n) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getInt(7), nullable(rs.getLong(8), rs.wasNull())),
                args.toArray());
    }

    /** The calls are in the warehouse (and the analytics queue): the next read starts after them. */
    public void fannedOut(List<Entry> entries) {
        long now = clock.millis();
        jdbc.batchUpdate("UPDATE " + table + " SET fanned_out_at = ?, " + fanningOut.release() + " WHERE seq = ?",
                entries.stream().map(e -> new Object[]{now, e.seq()}).toList());
        entries.stream().mapToLong(Entry::seq).max().ifPresent(last -> fanoutFloor.raise(last + 1));
    }

    /** The backlog gauges: two counts on the tracking_inbox_pending and tracking_inbox_fanout indexes. */
    public Backlog pending() {
        Long notFannedOut = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE fanned_out_at IS NULL",
                Long.class);
        return jdbc.queryForObject("SELECT COUNT(*), MIN(received_at) FROM " + table + " WHERE applied_at IS NULL",
                (rs, n) -> {
                    long rows = rs.getLong(1);
                    long oldest = rs.getLong(2);
                    return new Backlog(rows, rs.wasNull() ? null : oldest, notFannedOut == null ? 0 : notFannedOut);
                });
    }

    /**
     * Drops calls applied and fanned out before this time; a client resending one after that stores it again. A
     * user's contact is forgotten with the call that named it (as it was when it was read from the calls), so a
     * contact deleted in Intercom meanwhile is not addressed by its old id forever.
     */
    public int purgeBefore(long epochMillis) {
        int purged = jdbc.update("DELETE FROM " + table + " WHERE applied_at IS NOT NULL AND fanned_out_at IS NOT NULL"
                + " AND received_at < ?", epochMillis);
        if (purged > 0) {
            jdbc.update("DELETE FROM " + contacts + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " i WHERE i.seq = "
                    + contacts + ".seq)");
        }
        return purged;
    }

    // ------------------------------------------------------------------ attachments waiting for their user

    /** Remembers an attachment to make once the user is in Intercom; a repeat of the same one is kept once. */
    public void addAttachment(Attachment attachment, long nextAttemptAt) {
        try {
            jdbc.update("INSERT INTO " + attachments + " (user_key, company_id, group_id, user_id, email, message_id,"
                            + " created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                    attachment.userKey(), attachment.companyId(), attachment.groupId(), attachment.userId(),
                    attachment.email(), attachment.messageId(), attachment.createdAt(), nextAttemptAt);
        } catch (DuplicateKeyException e) {
            // already waiting
        }
    }

    public List<Attachment> attachmentsOf(String userKey) {
        return jdbc.query("SELECT user_key, company_id, group_id, user_id, email, message_id, created_at, attempts FROM "
                + attachments + " WHERE user_key = ?", this::attachment, userKey);
    }

    public List<Attachment> dueAttachments(int limit) {
        return jdbc.query("SELECT user_key, company_id, group_id, user_id, email, message_id, created_at, attempts FROM "
                + attachments + " WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT " + Math.max(1, limit),
                this::attachment, clock.millis());
    }

    public void attachmentDone(Attachment attachment) {
        jdbc.update("DELETE FROM " + attachments + " WHERE user_key = ? AND company_id = ?", attachment.userKey(),
                attachment.companyId());
    }

    public void attachmentWaits(Attachment attachment, long nextAttemptAt, String why) {
        jdbc.update("UPDATE " + attachments + " SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
                + " WHERE user_key = ? AND company_id = ?", nextAttemptAt, clip(why), attachment.userKey(),
                attachment.companyId());
    }

    public long waitingAttachments() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + attachments, Long.class);
        return n == null ? 0 : n;
    }

    private Attachment attachment(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Attachment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getInt(8));
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    private static Long nullable(long value, boolean wasNull) {
        return wasNull ? null : value;
    }
}
