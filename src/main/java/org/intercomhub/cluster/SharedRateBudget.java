package org.intercomhub.cluster;

import org.intercomhub.intercom.SharedBudget;
import org.intercomhub.sync.BookkeepingSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One Intercom app's rate budget shared by every hub instance on the bookkeeping schema ({@code intercom_budget}):
 * each request takes one from the row with a conditional UPDATE, so two nodes together never send more than Intercom
 * reported left, and no node meets a 429 the other caused. Coordinating through the database rather than running all
 * of an app's pulls on one node: pushes, tracking calls and pulls of one app run on different nodes, and they all
 * spend the same budget.
 *
 * <p>While plenty is left, a node takes a few requests at once ({@link #MAX_RESERVED}) and hands them out before
 * reading the row again; what it has not used when the window ends is dropped.
 *
 * <p>When a window ends, its budget is unknown until Intercom answers in the new one: one request cluster-wide (the
 * probe) is let through to learn it, the others wait for its answer. The headers of every answer bring the row down to
 * what Intercom counted (other apps of the workspace spend it too).
 */
public class SharedRateBudget implements SharedBudget {

    private static final Logger log = LoggerFactory.getLogger(SharedRateBudget.class);
    /** After a window's reset time, requests of the old window may still be arriving: the new one is probed later. */
    static final long RESET_MARGIN_MILLIS = 250;
    /** A probe whose answer never came (node died, timeout) is given up after this. */
    static final long PROBE_TIMEOUT_MILLIS = 5_000;
    /** Waiting for a window's end or a probe's answer re-reads the row at least this often. */
    static final long RECHECK_MILLIS = 50;
    private static final long THROTTLE_PAUSE_MILLIS = 3_000;
    /**
     * While plenty is left, a node takes up to this many requests from the row at once and hands them out itself
     * until its window ends: one contended row update per ten requests instead of one each (it was the database's
     * busiest statement while tracking calls were applied). The cluster still never sends more than the row had.
     */
    static final long MAX_RESERVED = 10;
    /** ... and never more than this fraction of what is left, so the window's last requests go one at a time. */
    static final long RESERVE_DIVISOR = 20;

    private final JdbcTemplate jdbc;
    private final String table;
    private final String appKey;
    private final Clock clock;
    /** Requests taken from the row and not handed out yet (guarded by this), usable until reservedUntil. */
    private long reserved;
    private long reservedUntil;
    /**
     * What this node knows of the row (guarded by this), so that an answer that cannot change it costs no statement:
     * the row's window is {@code knownWindow} or a later one (windows only move forward), and while it is
     * {@code knownWindow} its remaining count is at most {@code remainingAtMost} (within a window the count only goes
     * down). A pull reported every answer with two UPDATEs that almost never matched the row.
     */
    private long knownWindow;
    private long remainingAtMost;

    public SharedRateBudget(JdbcTemplate jdbc, BookkeepingSchema schema, String app, Clock clock) {
        this.jdbc = jdbc;
        this.table = schema.table("intercom_budget");
        this.appKey = sha256(app);
        this.clock = clock;
    }

    @Override
    public void take() throws InterruptedException {
        if (takeReserved()) {
            return;
        }
        while (true) {
            long now = clock.millis();
            Row row = row();
            if (row == null) {
                create();
                continue;
            }
            long windowEnd = row.windowEnd();
            long remaining = row.remaining();
            forgetIfBehind(windowEnd);
            if (windowEnd > now && remaining > 0) {
                long taken = Math.max(1, Math.min(MAX_RESERVED, remaining / RESERVE_DIVISOR));
                if (jdbc.update("UPDATE " + table + " SET remaining = remaining - ? WHERE app_key = ?"
                        + " AND window_ends_at = ? AND remaining >= ?", taken, appKey, windowEnd, taken) == 1) {
                    reserve(taken - 1, windowEnd);
                    learn(windowEnd, remaining - taken);
                    return;
                }
                continue; // another node took from it meanwhile, or the window turned over: read it again
            }
            long wait;
            if (now >= windowEnd + RESET_MARGIN_MILLIS) {
                // the window is over: one probe for the whole cluster
                if (jdbc.update("UPDATE " + table + " SET probe_until = ? WHERE app_key = ? AND probe_until < ?"
                        + " AND window_ends_at = ?", now + PROBE_TIMEOUT_MILLIS, appKey, now, windowEnd) == 1) {
                    return;
                }
                wait = RECHECK_MILLIS;
            } else {
                // spent: until the window ends (plus the margin), re-reading in case Intercom reported more
                wait = Math.min(Math.max(1, windowEnd + RESET_MARGIN_MILLIS - now), 10 * RECHECK_MILLIS);
            }
            Thread.sleep(wait);
        }
    }

    /** A request this node took from the row earlier, if one is left and its window has not ended. */
    private synchronized boolean takeReserved() {
        if (reserved > 0 && clock.millis() < reservedUntil) {
            reserved--;
            return true;
        }
        reserved = 0;
        return false;
    }

    private synchronized void reserve(long requests, long windowEnd) {
        if (windowEnd != reservedUntil) {
            reserved = 0;
            reservedUntil = windowEnd;
        }
        reserved += requests;
    }

    /** Whether an answer's budget could match the report's UPDATEs: a newer window, or a lower count in this one. */
    private synchronized boolean mayChangeRow(long windowEnd, long left) {
        return windowEnd > knownWindow || (windowEnd == knownWindow && left < remainingAtMost);
    }

    /** After a statement: the row is in {@code window} or a later one, and in that window has at most so many left. */
    private synchronized void learn(long window, long atMost) {
        if (window > knownWindow) {
            knownWindow = window;
            remainingAtMost = atMost;
        } else if (window == knownWindow) {
            remainingAtMost = Math.min(remainingAtMost, atMost);
        }
    }

    /** A row behind what this node learnt was made anew (a reset bookkeeping schema): what it learnt is void. */
    private synchronized void forgetIfBehind(long rowWindow) {
        if (rowWindow < knownWindow) {
            knownWindow = 0;
            remainingAtMost = 0;
        }
    }

    /**
     * The row as it stands: the current window's end and what the instances may still send in it, or, once the
     * window has ended, nothing known until the next answer (a probe) tells.
     */
    @Override
    public Map<String, Object> status() {
        long now = clock.millis();
        Row row = row();
        boolean known = row != null && row.windowEnd() > now;
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("window_ends_at", known ? Instant.ofEpochMilli(row.windowEnd()).toString() : null);
        status.put("remaining", known ? row.remaining() : null);
        status.put("probing", row != null && row.probeUntil() > now);
        return status;
    }

    @Override
    public long remaining() {
        Row row = row();
        return row != null && row.windowEnd() > clock.millis() ? row.remaining() : -1;
    }

    /** The app's row, as every node reads it. */
    private record Row(long windowEnd, long remaining, long probeUntil) {
    }

    /** The app's row, or null before the first request made it. */
    private Row row() {
        List<Row> rows = jdbc.query("SELECT window_ends_at, remaining, probe_until FROM " + table
                + " WHERE app_key = ?", (rs, n) -> new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3)), appKey);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private void create() {
        try {
            jdbc.update("INSERT INTO " + table + " (app_key, window_ends_at, remaining, probe_until) VALUES (?, 0, 0, 0)",
                    appKey);
        } catch (DuplicateKeyException e) {
            // another node made it first
        }
    }

    @Override
    public void report(int status, OptionalLong remaining, OptionalLong resetEpochSecond) {
        try {
            if (remaining.isPresent() && resetEpochSecond.isPresent()) {
                long end = resetEpochSecond.getAsLong() * 1000;
                long left = Math.max(0, remaining.getAsLong());
                // most answers change nothing: the row's window is as new and its count as low already
                if (mayChangeRow(end, left)) {
                    // a newer window than the row knows: its budget, as the probe's answer tells it
                    jdbc.update("UPDATE " + table + " SET window_ends_at = ?, remaining = ?, probe_until = 0"
                            + " WHERE app_key = ? AND window_ends_at < ?", end, left, appKey, end);
                    // the same window: answers arrive out of order, and others spend too; the smaller count is truer
                    jdbc.update("UPDATE " + table + " SET remaining = ? WHERE app_key = ? AND window_ends_at = ?"
                            + " AND remaining > ?", left, appKey, end, left);
                    learn(end, left);
                }
            } else {
                // an answer without the budget (a 503 of an outage, a proxy's error page) still ends the probe: else
                // the next request waits PROBE_TIMEOUT_MILLIS, and an outage is probed once every 5 s (CI saw a
                // test's 15 injected 503s take a minute)
                jdbc.update("UPDATE " + table + " SET probe_until = 0 WHERE app_key = ? AND probe_until > 0", appKey);
            }
            if (status == 429) {
                long until = resetEpochSecond.isPresent() ? resetEpochSecond.getAsLong() * 1000
                        : clock.millis() + THROTTLE_PAUSE_MILLIS;
                jdbc.update("UPDATE " + table + " SET remaining = 0, window_ends_at = CASE WHEN window_ends_at > ?"
                        + " THEN window_ends_at ELSE ? END, probe_until = 0 WHERE app_key = ?", until, until, appKey);
            }
        } catch (RuntimeException e) {
            // the request itself went through; the next answer corrects the row
            log.debug("shared rate budget not updated: {}", e.toString());
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
