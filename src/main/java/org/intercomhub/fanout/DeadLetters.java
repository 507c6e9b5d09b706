package org.intercomhub.fanout;

import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.sync.BookkeepingSchema;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records a branch gave up on ({@code dead_letters} in the bookkeeping schema): refused for good by the endpoint, or
 * still failing after the last attempt. They stay until a replay delivers them.
 */
public class DeadLetters {

    /** One dead letter; times in epoch milliseconds. */
    public record Letter(String id, String branch, String collection, String recordId, String record, int attempts,
                         String lastError, long firstFailedAt, long lastFailedAt) {

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", id);
            map.put("branch", branch);
            map.put("collection", collection);
            map.put("record_id", recordId);
            map.put("attempts", attempts);
            map.put("last_error", lastError);
            map.put("first_failed_at", Instant.ofEpochMilli(firstFailedAt).toString());
            map.put("last_failed_at", Instant.ofEpochMilli(lastFailedAt).toString());
            map.put("record", record);
            return map;
        }
    }

    private final JdbcTemplate jdbc;
    private final String table;
    private final Clock clock;

    public DeadLetters(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock) {
        this.jdbc = jdbc;
        this.table = schema.table("dead_letters");
        this.clock = clock;
    }

    public void add(BranchOutbox.Entry entry, int attempts, String error) {
        long now = clock.millis();
        jdbc.update("INSERT INTO " + table + " (id, branch, collection, record_id, record, attempts, last_error, "
                        + "first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), entry.branch(), entry.record().collection(), entry.record().id(),
                entry.recordJson(), attempts, error, entry.firstFailedAt() != null ? entry.firstFailedAt() : now, now);
    }

    /** A record given up on outside the outbox (the tracking API's calls): stored like a branch's. */
    public void add(String branch, CanonicalRecord record, int attempts, String error, Long firstFailedAt) {
        long now = clock.millis();
        jdbc.update("INSERT INTO " + table + " (id, branch, collection, record_id, record, attempts, last_error, "
                        + "first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                UUID.randomUUID().toString(), branch, record.collection(), record.id(), RecordJson.write(record),
                attempts, error, firstFailedAt != null ? firstFailedAt : now, now);
    }

    /**
     * A record that is refused again and again (a push sync's row, retried by every run) keeps one letter: the
     * existing letter of the same branch, collection and record id gets the newest record, error and one more
     * attempt; otherwise one is added.
     */
    public void put(String branch, CanonicalRecord record, String error) {
        long now = clock.millis();
        int updated = jdbc.update("UPDATE " + table + " SET record = ?, attempts = attempts + 1, last_error = ?, "
                        + "last_failed_at = ? WHERE branch = ? AND collection = ? AND record_id = ?",
                RecordJson.write(record), error, now, branch, record.collection(), record.id());
        if (updated == 0) {
            add(branch, record, 1, error, now);
        }
    }

    /** The letters of one record, once it got through by other means (a later run). */
    public void removeRecord(String branch, String collection, String recordId) {
        jdbc.update("DELETE FROM " + table + " WHERE branch = ? AND collection = ? AND record_id = ?", branch,
                collection, recordId);
    }

    /** Dead letters, oldest first; null filters match everything; ids, when given, select exactly those. */
    public List<Letter> list(String branch, String collection, Collection<String> ids, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, branch, collection, record_id, record, attempts, last_error, "
                + "first_failed_at, last_failed_at FROM " + table + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (branch != null && !branch.isBlank()) {
            sql.append(" AND branch = ?");
            args.add(branch);
        }
        if (collection != null && !collection.isBlank()) {
            sql.append(" AND collection = ?");
            args.add(collection);
        }
        if (ids != null && !ids.isEmpty()) {
            sql.append(" AND id IN (").append(String.join(", ", ids.stream().map(id -> "?").toList())).append(")");
            args.addAll(ids);
        }
        sql.append(" ORDER BY first_failed_at, id LIMIT ").append(Math.max(1, limit));
        return jdbc.query(sql.toString(), (rs, i) -> new Letter(rs.getString("id"), rs.getString("branch"),
                rs.getString("collection"), rs.getString("record_id"), rs.getString("record"), rs.getInt("attempts"),
                rs.getString("last_error"), rs.getLong("first_failed_at"), rs.getLong("last_failed_at")),
                args.toArray());
    }

    public void remove(String id) {
        jdbc.update("DELETE FROM " + table + " WHERE id = ?", id);
    }

    /** A replay that failed again: the letter stays, with one more attempt and the new error. */
    public void failedAgain(String id, String error) {
        jdbc.update("UPDATE " + table + " SET attempts = attempts + 1, last_error = ?, last_failed_at = ? WHERE id = ?",
                error, clock.millis(), id);
    }

    public long count(String branch) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE branch = ?", Long.class, branch);
        return n == null ? 0 : n;
    }
}
