package org.intercomhub.sync;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Locale;

/**
 * The bookkeeping tables exactly as the hub made them before they were versioned (main at b72ce8c:
 * {@code BookkeepingSchema.create()}, {@code WebhookInbox.create()}, {@code BranchOutbox.create()},
 * {@code DeadLetters.create()}, called in that order at every start-up). A deployed hub has them like this, with no
 * Flyway history table. Kept verbatim: it is the starting point of the in-place upgrade, not code to improve.
 */
final class UnversionedBookkeepingTables {

    private UnversionedBookkeepingTables() {
    }

    static void create(JdbcTemplate jdbc, String schema) {
        // BookkeepingSchema.create()
        jdbc.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        for (String ddl : List.of(
                "CREATE TABLE IF NOT EXISTS " + schema + ".sync_checkpoints" + " ("
                        + "collection VARCHAR(100) NOT NULL PRIMARY KEY, high_water BIGINT, query_since BIGINT, "
                        + "cursor_value TEXT, run_high_water BIGINT, run_started_at BIGINT, updated_at BIGINT)",
                "CREATE TABLE IF NOT EXISTS " + schema + ".sync_runs" + " ("
                        + "run_id VARCHAR(40) NOT NULL PRIMARY KEY, collection VARCHAR(100) NOT NULL, "
                        + "started_at BIGINT NOT NULL, ended_at BIGINT, state VARCHAR(20) NOT NULL, "
                        + "records BIGINT, pages BIGINT, error TEXT)")) {
            jdbc.execute(ddl);
        }

        // WebhookInbox.create()
        String table = schema + ".webhook_inbox";
        String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        String bodyType = lower.contains("mariadb") || lower.contains("mysql") ? "LONGTEXT" : "TEXT";
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "notification_id VARCHAR(255) NOT NULL PRIMARY KEY, topic VARCHAR(255) NOT NULL, "
                + "received_at BIGINT NOT NULL, created_at BIGINT, body " + bodyType + " NOT NULL, "
                + "processed_at BIGINT, attempts INT NOT NULL DEFAULT 0, next_attempt_at BIGINT, last_error TEXT)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS webhook_inbox_pending ON " + table + " (processed_at, received_at)");

        // BranchOutbox.create()
        table = schema + ".branch_outbox";
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "id VARCHAR(40) NOT NULL PRIMARY KEY, seq BIGINT NOT NULL, branch VARCHAR(40) NOT NULL, "
                + "collection VARCHAR(100) NOT NULL, record_id VARCHAR(255) NOT NULL, record TEXT NOT NULL, "
                + "attempts INT NOT NULL, next_attempt_at BIGINT NOT NULL, first_failed_at BIGINT, last_error TEXT)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS branch_outbox_due ON " + table + " (branch, next_attempt_at, seq)");

        // DeadLetters.create()
        table = schema + ".dead_letters";
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "id VARCHAR(40) NOT NULL PRIMARY KEY, branch VARCHAR(40) NOT NULL, collection VARCHAR(100) NOT NULL, "
                + "record_id VARCHAR(255) NOT NULL, record TEXT NOT NULL, attempts INT NOT NULL, last_error TEXT, "
                + "first_failed_at BIGINT NOT NULL, last_failed_at BIGINT NOT NULL)");
    }
}
