package org.intercomhub.sync;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.intercomhub.ItDatabase;
import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.BranchOutbox;
import org.intercomhub.fanout.BranchRunner;
import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.fanout.BranchMeters;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.fanout.RecordJson;
import org.intercomhub.pull.Checkpoint;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.webhook.Notification;
import org.intercomhub.webhook.WebhookInbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The versioned bookkeeping schema on one database: a new schema gets every table, and a hub deployed before the
 * tables were versioned upgrades in place with its rows still usable. Each database is a one-line subclass; the
 * servers are shared, so every test works in schemas of its own and drops them.
 */
abstract class BookkeepingMigrationContract {

    /**
     * V1 (the tables as they were before versioning), V2 (attribute_columns), V3 (push syncs), V4 (sync_runs by
     * start), V5 (tracking inbox), V6 (Quartz's job store tables), V7 (queue leases, cluster nodes), V8 (shared Intercom
     * rate budget), V9 (tracking users' contacts), V10 (the tracking inbox's storage settings, PostgreSQL only), V11
     * (the webhook inbox's bodies compressed with LZ4, PostgreSQL only).
     */
    static final int MIGRATIONS = 11;
    static final String NEWEST = "11";

    enum Target {
        POSTGRES(ItDatabase.POSTGRES.url, ItDatabase.POSTGRES.user, "DROP SCHEMA IF EXISTS %s CASCADE"),
        MARIADB(ItDatabase.MARIADB.url, ItDatabase.MARIADB.user, "DROP DATABASE IF EXISTS %s"),
        H2("jdbc:h2:mem:bookkeeping_%s;DB_CLOSE_DELAY=-1", "sa", "DROP SCHEMA IF EXISTS %s CASCADE");

        final String url;
        final String user;
        final String drop;

        Target(String url, String user, String drop) {
            this.url = url;
            this.user = user;
            this.drop = drop;
        }
    }

    /** A branch that answers what the test sets and remembers what it was sent. */
    static final class RecordingBranch implements Branch {
        final AtomicReference<Outcome> answer = new AtomicReference<>(Outcome.delivered());
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "analytics";
        }

        @Override
        public boolean accepts(CanonicalRecord record) {
            return true;
        }

        @Override
        public List<Outcome> deliver(List<CanonicalRecord> records) {
            records.forEach(r -> seen.add(r.id()));
            return records.stream().map(r -> answer.get()).toList();
        }
    }

    private final Target target;
    private final List<String> schemas = new ArrayList<>();
    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final Clock clock = Clock.systemUTC();

    BookkeepingMigrationContract(Target target) {
        this.target = target;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.url.formatted(ItDatabase.uniqueSchema("db")));
        config.setUsername(target.user);
        config.setPassword("");
        config.setMaximumPoolSize(2);
        this.dataSource = new HikariDataSource(config);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @AfterEach
    void dropSchemas() {
        try {
            schemas.forEach(schema -> jdbc.execute(target.drop.formatted(schema)));
        } finally {
            dataSource.close();
        }
    }

    private String newSchemaName() {
        String schema = ItDatabase.uniqueSchema("bk");
        schemas.add(schema);
        return schema;
    }

    @Test
    void newDatabaseGetsEveryTableAtTheNewestVersion() {
        String name = newSchemaName();
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, name);

        MigrateResult first = schema.migrate();
        assertThat(first.migrationsExecuted).isEqualTo(MIGRATIONS);
        assertThat(first.targetSchemaVersion).isEqualTo(NEWEST);

        MigrateResult restart = schema.migrate();
        assertThat(restart.migrationsExecuted).as("the next start-up has nothing to do").isZero();
        assertThat(restart.initialSchemaVersion).isEqualTo(NEWEST);
        if (target == Target.POSTGRES) {
            // the tracking inbox leaves room on each page for claims written in place (V10)
            assertThat(jdbc.queryForObject("SELECT array_to_string(reloptions, ',') FROM pg_class c JOIN"
                    + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
                    String.class, name, "tracking_inbox")).contains("fillfactor=50");
            // the webhook inbox's bodies are compressed with LZ4 (V11; this server is built with it)
            assertThat(jdbc.queryForObject("SELECT a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid ="
                    + " a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?"
                    + " AND a.attname = 'body'", String.class, name, "webhook_inbox")).isEqualTo("l");
        }

        CheckpointStore checkpoints = new CheckpointStore(jdbc, schema);
        Checkpoint checkpoint = new Checkpoint(1_700_000_000L, null, "cursor-1", 1_700_000_100L,
                Instant.ofEpochMilli(1_700_000_200_000L));
        checkpoints.save("contacts", checkpoint);
        assertThat(checkpoints.load("contacts")).isEqualTo(checkpoint);

        SyncStatusBoard board = new SyncStatusBoard(checkpoints, jdbc, schema, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertThat(board.tryStart("contacts")).isTrue();
        assertThat(board.markInterruptedRuns()).isEqualTo(1);

        WebhookInbox inbox = new WebhookInbox(jdbc, schema, clock);
        assertThat(inbox.store(new Notification("notif-1", "contact.user.created", 1_700_000_000L, "{}"))).isTrue();
        assertThat(inbox.store(new Notification("notif-1", "contact.user.created", 1_700_000_000L, "{}"))).isFalse();
        assertThat(inbox.due(10)).extracting(WebhookInbox.Entry::id).containsExactly("notif-1");
        inbox.markProcessed(List.of("notif-1"));
        assertThat(inbox.backlog()).isZero();

        RecordingBranch branch = new RecordingBranch();
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, clock, List.of(branch));
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, clock);
        BranchRunner runner = runner(branch, outbox, deadLetters);
        assertThat(outbox.enqueued(List.of(contact("c-1"), contact("c-2")))).isEqualTo(2);
        assertThat(runner.drain("analytics")).isEqualTo(2);
        assertThat(branch.seen).containsExactly("c-1", "c-2");
        branch.answer.set(Outcome.dead("HTTP 400"));
        outbox.enqueued(List.of(contact("c-3")));
        runner.drain("analytics");
        assertThat(deadLetters.list(null, null, null, 10)).singleElement()
                .satisfies(letter -> assertThat(letter.recordId()).isEqualTo("c-3"));
        assertThat(outbox.backlog("analytics")).containsEntry("waiting", 0L);
    }

    @Test
    void hubFromBeforeVersioningUpgradesInPlaceKeepingItsRows() {
        String name = newSchemaName();
        UnversionedBookkeepingTables.create(jdbc, name);
        fillAsARunningHubWould(name);

        BookkeepingSchema schema = new BookkeepingSchema(jdbc, name);
        MigrateResult upgrade = schema.migrate();
        assertThat(upgrade.initialSchemaVersion).as("baselined below V1").isEqualTo("0");
        assertThat(upgrade.migrationsExecuted).isEqualTo(MIGRATIONS);
        assertThat(upgrade.targetSchemaVersion).isEqualTo(NEWEST);
        assertThat(schema.migrate().migrationsExecuted).isZero();

        // the pull resumes from its checkpoint; the run the old process left going is marked interrupted
        CheckpointStore checkpoints = new CheckpointStore(jdbc, schema);
        assertThat(checkpoints.load("contacts")).isEqualTo(new Checkpoint(1_700_000_000L, 1_699_990_000L,
                "cursor-after-page-7", 1_700_000_500L, Instant.ofEpochMilli(1_700_001_000_000L)));
        SyncStatusBoard board = new SyncStatusBoard(checkpoints, jdbc, schema, clock, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertThat(board.markInterruptedRuns()).isEqualTo(1);
        assertThat(count(name, "sync_runs", "state = 'succeeded' AND records = 1000")).isEqualTo(1);
        assertThat(count(name, "sync_runs", "state = 'interrupted' AND pages = 7")).isEqualTo(1);

        // the pending notification is processed; the processed one still recognises a redelivery
        WebhookInbox inbox = new WebhookInbox(jdbc, schema, clock);
        assertThat(inbox.backlog()).isEqualTo(1);
        assertThat(inbox.due(10)).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo("notif-pending");
            assertThat(entry.topic()).isEqualTo("contact.user.updated");
            assertThat(entry.createdAt()).isEqualTo(1_700_001_999L);
            assertThat(entry.body()).isEqualTo(NOTIFICATION_BODY);
            assertThat(entry.attempts()).isEqualTo(2);
        });
        assertThat(inbox.store(new Notification("notif-done", "contact.user.created", 1_700_000_001L, "{}")))
                .isFalse();
        inbox.markProcessed(List.of("notif-pending"));
        assertThat(inbox.backlog()).isZero();

        // the queued record is delivered and leaves the queue; the dead letter is listed and replayed
        RecordingBranch branch = new RecordingBranch();
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, clock, List.of(branch));
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, clock);
        BranchRunner runner = runner(branch, outbox, deadLetters);
        assertThat(runner.drain("analytics")).isEqualTo(1);
        assertThat(branch.seen).containsExactly("c-1");
        assertThat(outbox.backlog("analytics")).containsEntry("waiting", 0L);

        List<DeadLetters.Letter> letters = deadLetters.list("analytics", null, null, 10);
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.id()).isEqualTo("dead-1");
            assertThat(letter.recordId()).isEqualTo("c-2");
            assertThat(letter.attempts()).isEqualTo(8);
            assertThat(letter.lastError()).isEqualTo("HTTP 500");
            assertThat(letter.firstFailedAt()).isEqualTo(1_700_000_000_000L);
            assertThat(RecordJson.read(letter.record()).row()).containsEntry("email", "c-2@example.com");
        });
        assertThat(runner.replay(letters)).containsEntry("delivered", 1);
        assertThat(branch.seen).containsExactly("c-1", "c-2");
        assertThat(deadLetters.count("analytics")).isZero();
    }

    @Test
    void upgradedSchemaHasTheShapeOfANewOne() throws SQLException {
        String upgraded = newSchemaName();
        UnversionedBookkeepingTables.create(jdbc, upgraded);
        new BookkeepingSchema(jdbc, upgraded).migrate();
        String created = newSchemaName();
        new BookkeepingSchema(jdbc, created).migrate();

        // what a later migration that alters a column starts from is the same on both
        Map<String, List<String>> shape = shape(created);
        assertThat(shape.keySet()).containsExactly("attribute_columns", "branch_outbox", "cluster_nodes",
                "dead_letters", "intercom_budget", "push_rows", "push_runs", "qrtz_blob_triggers", "qrtz_calendars",
                "qrtz_cron_triggers", "qrtz_fired_triggers", "qrtz_job_details", "qrtz_locks",
                "qrtz_paused_trigger_grps", "qrtz_scheduler_state", "qrtz_simple_triggers", "qrtz_simprop_triggers",
                "qrtz_triggers", "sync_checkpoints", "sync_runs", "tracking_attachments", "tracking_contacts",
                "tracking_inbox", "webhook_inbox");
        assertThat(shape(upgraded)).isEqualTo(shape);
    }

    private static final String NOTIFICATION_BODY = "{\"type\":\"notification_event\",\"topic\":"
            + "\"contact.user.updated\",\"id\":\"notif-pending\",\"created_at\":1700001999,\"data\":{\"item\":"
            + "{\"type\":\"contact\",\"id\":\"c-9\",\"email\":\"c-9@example.com\",\"updated_at\":1700001999}}}";

    /** Rows like the ones a hub running the old code leaves: a pull mid-run, webhooks, a queue, a dead letter. */
    private void fillAsARunningHubWould(String schema) {
        jdbc.update("INSERT INTO " + schema + ".sync_checkpoints (collection, high_water, query_since, cursor_value, "
                        + "run_high_water, run_started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                "contacts", 1_700_000_000L, 1_699_990_000L, "cursor-after-page-7", 1_700_000_500L,
                1_700_001_000_000L, 1_700_001_500_000L);
        jdbc.update("INSERT INTO " + schema + ".sync_runs (run_id, collection, started_at, ended_at, state, records, "
                + "pages, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "run-0", "contacts", 1_699_000_000_000L,
                1_699_000_100_000L, "succeeded", 1000L, 10L, null);
        jdbc.update("INSERT INTO " + schema + ".sync_runs (run_id, collection, started_at, state, records, pages) "
                + "VALUES (?, ?, ?, 'running', ?, ?)", "run-1", "contacts", 1_700_001_000_000L, 700L, 7L);
        jdbc.update("INSERT INTO " + schema + ".webhook_inbox (notification_id, topic, received_at, created_at, body, "
                        + "attempts, next_attempt_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                "notif-pending", "contact.user.updated", 1_700_002_000_000L, 1_700_001_999L, NOTIFICATION_BODY, 2,
                1_700_002_003_000L, "warehouse unavailable");
        jdbc.update("INSERT INTO " + schema + ".webhook_inbox (notification_id, topic, received_at, created_at, body, "
                        + "attempts, processed_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
                "notif-done", "contact.user.created", 1_700_000_002_000L, 1_700_000_001L, "{}", 1_700_000_002_500L);
        jdbc.update("INSERT INTO " + schema + ".branch_outbox (id, seq, branch, collection, record_id, record, "
                        + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                "outbox-1", 1_700_002_000_000_000L, "analytics", "contacts", "c-1", RecordJson.write(contact("c-1")),
                0, 1_700_002_000_000L);
        jdbc.update("INSERT INTO " + schema + ".dead_letters (id, branch, collection, record_id, record, attempts, "
                        + "last_error, first_failed_at, last_failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "dead-1", "analytics", "contacts", "c-2", RecordJson.write(contact("c-2")), 8, "HTTP 500",
                1_700_000_000_000L, 1_700_000_300_000L);
    }

    private static CanonicalRecord contact(String id) {
        return CanonicalRecord.upsert("contacts", id, CanonicalRecord.Source.PULL, 1_700_000_000L,
                Map.of("id", id, "email", id + "@example.com"), Map.of());
    }

    private BranchRunner runner(RecordingBranch branch, BranchOutbox outbox, DeadLetters deadLetters) {
        return new BranchRunner(List.of(branch), outbox, deadLetters, new BranchMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                new BranchRunner.Policy(10, 3, Duration.ZERO, Duration.ZERO), clock);
    }

    private long count(String schema, String table, String where) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + schema + "." + table + " WHERE " + where, Long.class);
        return n == null ? 0 : n;
    }

    /** Per table (Flyway's history aside): each column's type, size, nullability and default, and each index. */
    private Map<String, List<String>> shape(String schema) throws SQLException {
        Map<String, List<String>> shape = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            boolean databaseIsCatalog = target == Target.MARIADB;
            String stored = meta.storesUpperCaseIdentifiers() ? schema.toUpperCase(Locale.ROOT) : schema;
            String catalog = databaseIsCatalog ? stored : null;
            String schemaPattern = databaseIsCatalog ? null : stored;
            try (ResultSet columns = meta.getColumns(catalog, schemaPattern, "%", "%")) {
                while (columns.next()) {
                    String table = columns.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!table.equals("flyway_schema_history")) {
                        shape.computeIfAbsent(table, t -> new ArrayList<>()).add(String.join(" ",
                                columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                columns.getString("TYPE_NAME"), columns.getString("COLUMN_SIZE"),
                                columns.getString("IS_NULLABLE"), String.valueOf(columns.getString("COLUMN_DEF"))));
                    }
                }
            }
            for (String table : List.copyOf(shape.keySet())) {
                String tableName = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet indexes = meta.getIndexInfo(catalog, schemaPattern, tableName, false, false)) {
                    while (indexes.next()) {
                        if (indexes.getString("COLUMN_NAME") == null) {
                            continue;
                        }
                        // unique (primary key) indexes have generated names on H2: named by their columns
                        boolean unique = !indexes.getBoolean("NON_UNIQUE");
                        shape.get(table).add((unique ? "unique index" : "index "
                                + indexes.getString("INDEX_NAME").toLowerCase(Locale.ROOT)) + " "
                                + indexes.getShort("ORDINAL_POSITION") + " "
                                + indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        shape.values().forEach(list -> list.sort(null));
        return shape;
    }
}
