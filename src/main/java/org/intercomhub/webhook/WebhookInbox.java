package org.intercomhub.webhook;

import org.intercomhub.cluster.RowLeases;
import org.intercomhub.inbox.BurstHold;
import org.intercomhub.inbox.GroupCommit;
import org.intercomhub.inbox.InboxProperties;
import org.intercomhub.inbox.ReadFloor;
import org.intercomhub.retry.Backoff;
import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The durable record of every accepted notification ({@code webhook_inbox} in the bookkeeping schema). A
 * notification is acknowledged only after its row is committed, and marked processed only after its records went
 * through the fan-out, so a crash in between loses nothing: the row is simply processed again (writes are
 * idempotent). Its primary key, Intercom's notification id, makes a redelivery a no-op. Rows are leased to the node
 * processing them ({@link RowLeases}): several instances drain the inbox without taking the same row twice. The
 * inserts of concurrent notifications are committed together ({@link GroupCommit}); {@link #close()} commits those
 * still queued.
 */
public class WebhookInbox implements AutoCloseable {

    /** Failed processing is retried after 1 s, 2 s, 4 s ... up to this. */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);
    /** A batch the fan-out refused is tried again after 1 s, 2 s, 4 s ... up to 5 minutes. */
    private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofSeconds(1), MAX_RETRY_DELAY);
    private static final int MAX_ERROR_LENGTH = 2000;
    /** Rows committed up to this long after later-received ones are still read from the floor. */
    static final long FLOOR_SLACK_MILLIS = 1_000;

    /** An unprocessed row. */
    public record Entry(String id, String topic, Long createdAt, String body, int attempts) {
    }

    /** A notification on its way into the inbox, with the time it arrived. */
    private record Received(Notification notification, long receivedAt) {
    }

    private final JdbcTemplate jdbc;
    private final String table;
    private final Clock clock;
    private final RowLeases leases;
    private final RowLeases.Columns leased;
    private final GroupCommit<Received> commits;
    /**
     * Rows are read from this received_at on: below it every row was processed (or held by another node, or waiting
     * for a retry) when last looked, less {@link #FLOOR_SLACK_MILLIS} for rows committed after later-received ones.
     */
    private final ReadFloor receivedFloor;
    /** Processing waits during a burst of notifications, so they are acknowledged faster. */
    private final BurstHold burst;

    public WebhookInbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock) {
        this(jdbc, schema, clock, RowLeases.local(jdbc, clock));
    }

    public WebhookInbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, RowLeases leases) {
        this(jdbc, schema, clock, leases, InboxProperties.defaults());
    }

    public WebhookInbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, RowLeases leases,
                        InboxProperties inbox) {
        this.jdbc = jdbc;
        this.table = schema.table("webhook_inbox");
        this.clock = clock;
        this.leases = leases;
        this.receivedFloor = new ReadFloor(clock);
        this.burst = inbox.burstHold("Webhook", clock);
        this.leased = new RowLeases.Columns(table, "notification_id", "claimed_by", "claimed_until");
        this.commits = new GroupCommit<>("webhook-inbox", jdbc, new GroupCommit.Table<>(table, "notification_id",
                "INSERT INTO " + table + " (notification_id, topic, received_at, created_at, body, attempts)",
                "(?, ?, ?, ?, ?, 0)",
                row -> row.notification().id(),
                row -> new Object[]{row.notification().id(), row.notification().topic(), row.receivedAt(),
                        row.notification().createdAt(), row.notification().body()}), inbox);
    }

    /**
     * Returns once the notification is committed (with those of concurrent requests); false when its id is already
     * there (a redelivery). A database failure is thrown.
     */
    public boolean store(Notification notification) {
        return !burst.storing(() -> commits.store(List.of(new Received(notification, clock.millis())))).isEmpty();
    }

    /** Commits the notifications still queued, takes no more. */
    @Override
    public void close() {
        commits.close();
    }

    /**
     * Claims the oldest unprocessed rows that are due and no other node holds, oldest first; each stays this node's
     * until it is marked processed or failed, or its lease runs out. None while a burst holds processing back
     * ({@link BurstHold}).
     */
    public List<Entry> due(int limit) {
        if (burst.holdsBack()) {
            return List.of();
        }
        long now = clock.millis();
        List<Object[]> due = jdbc.query("SELECT notification_id, received_at FROM " + table
                + " WHERE processed_at IS NULL AND received_at >= ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
                + " AND " + leased.free() + " ORDER BY received_at, notification_id LIMIT " + limit,
                (rs, n) -> new Object[]{rs.getString(1), rs.getLong(2)}, receivedFloor.from(), now, now);
        List<String> candidates = due.stream().map(row -> (String) row[0]).toList();
        if (due.isEmpty()) {
            burst.emptied();
        } else {
            receivedFloor.raise((Long) due.get(0)[1] - FLOOR_SLACK_MILLIS);
        }
        String claim = leases.claim(leased, candidates, "processed_at IS NULL");
        if (claim == null) {
            return List.of();
        }
        // by primary key among the candidates: claimed_by has no index, and the inbox may hold millions of rows
        List<Object> args = new ArrayList<>(candidates);
        args.add(claim);
        return jdbc.query("SELECT notification_id, topic, created_at, body, attempts FROM " + table
                        + " WHERE notification_id IN (" + placeholders(candidates.size()) + ") AND claimed_by = ?"
                        + " ORDER BY received_at, notification_id",
                (rs, n) -> new Entry(rs.getString(1), rs.getString(2), nullableLong(rs.getLong(3), rs.wasNull()),
                        rs.getString(4), rs.getInt(5)),
                args.toArray());
    }

    public void markProcessed(List<String> ids) {
        long now = clock.millis();
        jdbc.batchUpdate("UPDATE " + table + " SET processed_at = ?, last_error = NULL, " + leased.release()
                        + " WHERE notification_id = ?", ids.stream().map(id -> new Object[]{now, id}).toList());
    }

    /** Counts an attempt and puts the row off with exponential backoff; it stays unprocessed. */
    public void markFailed(Entry entry, String error) {
        long delay = RETRY_BACKOFF.delay(entry.attempts() + 1).toMillis();
        String message = error == null ? "unknown error" : error;
        jdbc.update("UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                        + leased.release() + " WHERE notification_id = ?", clock.millis() + delay,
                message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message, entry.id());
    }

    /** Whether processing is holding back during a burst of notifications. */
    public boolean heldForBurst() {
        return burst.holding();
    }

    /** Rows not processed yet, due or waiting for a retry. */
    public long backlog() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE processed_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    /** The unprocessed rows: how many, and when the oldest arrived (null when none). */
    public record Backlog(long rows, Long oldestReceivedAt) {
        public static final Backlog NONE = new Backlog(0, null);
    }

    /** One query for both inbox gauges (on the webhook_inbox_pending index). */
    public Backlog pending() {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(received_at) FROM " + table + " WHERE processed_at IS NULL",
                (rs, n) -> {
                    long rows = rs.getLong(1);
                    long oldest = rs.getLong(2);
                    return new Backlog(rows, rs.wasNull() ? null : oldest);
                });
    }

    /** Drops processed rows older than the retention; a redelivery after that would be processed again. */
    public int purgeProcessedBefore(long epochMillis) {
        return jdbc.update("DELETE FROM " + table + " WHERE processed_at IS NOT NULL AND processed_at < ?",
                epochMillis);
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static Long nullableLong(long value, boolean wasNull) {
        return wasNull ? null : value;
    }
}
