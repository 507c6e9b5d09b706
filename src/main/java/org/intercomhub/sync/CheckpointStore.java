package org.intercomhub.sync;

import org.intercomhub.pull.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.List;

/** Durable checkpoints, one row per collection, written after every page that reached the warehouse. */
public class CheckpointStore {

    private final JdbcTemplate jdbc;
    private final String table;

    public CheckpointStore(JdbcTemplate jdbc, BookkeepingSchema schema) {
        this.jdbc = jdbc;
        this.table = schema.table("sync_checkpoints");
    }

    public Checkpoint load(String collection) {
        List<Checkpoint> found = jdbc.query(
                "SELECT high_water, query_since, cursor_value, run_high_water, run_started_at FROM " + table
                        + " WHERE collection = ?",
                (rs, n) -> new Checkpoint(
                        (Long) rs.getObject(1, Long.class), rs.getObject(2, Long.class), rs.getString(3),
                        rs.getObject(4, Long.class),
                        rs.getObject(5, Long.class) == null ? null : Instant.ofEpochMilli(rs.getLong(5))),
                collection);
        return found.isEmpty() ? Checkpoint.NONE : found.get(0);
    }

    public void save(String collection, Checkpoint checkpoint) {
        save(jdbc, collection, checkpoint);
    }

    /** Saves through {@code transaction} (a warehouse write's: the checkpoint commits with the page's rows). */
    public void save(JdbcTemplate transaction, String collection, Checkpoint checkpoint) {
        Object[] values = {
                checkpoint.highWater(), checkpoint.querySince(), checkpoint.cursor(), checkpoint.runHighWater(),
                checkpoint.runStartedAt() == null ? null : checkpoint.runStartedAt().toEpochMilli(),
                System.currentTimeMillis(), collection};
        int updated = transaction.update("UPDATE " + table + " SET high_water = ?, query_since = ?, cursor_value = ?, "
                + "run_high_water = ?, run_started_at = ?, updated_at = ? WHERE collection = ?", values);
        if (updated == 0) {
            transaction.update("INSERT INTO " + table + " (high_water, query_since, cursor_value, run_high_water, "
                    + "run_started_at, updated_at, collection) VALUES (?, ?, ?, ?, ?, ?, ?)", values);
        }
    }

    public void clear(String collection) {
        jdbc.update("DELETE FROM " + table + " WHERE collection = ?", collection);
    }
}
