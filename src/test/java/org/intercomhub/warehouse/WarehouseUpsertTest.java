package org.intercomhub.warehouse;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.intercomhub.warehouse.TestTables.contact;
import static org.intercomhub.warehouse.TestTables.contactWithTags;

class WarehouseUpsertTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void insertsThenANewerVersionOverwrites(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());

            WriteResult first = writer.write(List.of(contact("c1", 100, Map.of("name", "Ann", "email", "a@x"))));
            WriteResult second = writer.write(List.of(contact("c1", 200, Map.of("name", "Anna"))));

            assertThat(first.table("contacts").written()).isEqualTo(1);
            assertThat(second.table("contacts").written()).isEqualTo(1);
            Map<String, Object> row = db.row("contacts", "c1");
            assertThat(row).containsEntry("name", "Anna").containsEntry("email", "a@x")
                    .containsEntry("_source", "pull").containsEntry("_deleted", false);
            assertThat(((Number) row.get("_source_updated_at")).longValue()).isEqualTo(200L);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anOlderVersionIsSkippedAndChangesNothing(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
            WarehouseUpsert writer = writer(db, clock);
            writer.write(List.of(contact("c1", 200, Map.of("name", "new"))));
            Map<String, Object> before = db.row("contacts", "c1");

            clock.set(Instant.parse("2024-05-02T00:00:00Z"));
            WriteResult result = writer.write(List.of(contact("c1", 100, Map.of("name", "old", "email", "old@x"))));

            assertThat(result.table("contacts")).isEqualTo(new WriteResult.TableCounts(0, 1, 0, 0));
            assertThat(db.row("contacts", "c1")).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void duplicatesInABatchKeepTheNewest(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());

            WriteResult result = writer.write(List.of(
                    contact("a", 5, Map.of("name", "five")),
                    contact("a", 7, Map.of("name", "seven")),
                    contact("a", 6, Map.of("name", "six")),
                    contact("b", 3, Map.of("name", "first of equals")),
                    contact("b", 3, Map.of("name", "last of equals"))));

            assertThat(result.written()).isEqualTo(2);
            assertThat(db.row("contacts", "a")).containsEntry("name", "seven");
            assertThat(db.row("contacts", "b")).containsEntry("name", "last of equals");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void deleteMarksTheRowAndTombstonesUnknownIds(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            writer.write(List.of(contact("c1", 100, Map.of("name", "Ann")), contact("c2", 100, Map.of("name", "Bob"))));

            WriteResult result = writer.write(List.of(
                    CanonicalRecord.delete("contacts", "c1", Source.WEBHOOK, null),
                    CanonicalRecord.delete("contacts", "ghost", Source.WEBHOOK, 150L)));

            assertThat(result.table("contacts").deleted()).isEqualTo(2);
            assertThat(db.row("contacts", "c1")).containsEntry("_deleted", true).containsEntry("name", "Ann")
                    .containsEntry("_source", "webhook");
            assertThat(((Number) db.row("contacts", "c1").get("_source_updated_at")).longValue()).isEqualTo(100L);
            assertThat(db.row("contacts", "ghost")).containsEntry("_deleted", true).containsEntry("name", null);
            assertThat(writer.count("contacts")).isEqualTo(1);
            assertThat(writer.countAll("contacts")).isEqualTo(3);

            writer.write(List.of(contact("ghost", 140, Map.of("name", "older than the delete"))));
            assertThat(db.row("contacts", "ghost")).containsEntry("_deleted", true);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void childrenAreReplacedForTheWinningParentOnly(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            writer.write(List.of(contactWithTags("p", 2, "x", "y"), contactWithTags("q", 2, "x")));

            WriteResult newer = writer.write(List.of(contactWithTags("p", 3, "z")));
            WriteResult older = writer.write(List.of(contactWithTags("p", 1, "stale"), contactWithTags("q", 1)));

            assertThat(newer.table("contact_tags").childRows()).isEqualTo(1);
            assertThat(older.table("contact_tags").childRows()).isZero();
            assertThat(older.table("contacts").skippedOlder()).isEqualTo(2);
            assertThat(tags(db, "p")).containsExactly("z");
            assertThat(tags(db, "q")).containsExactly("x");
            assertThat(db.query("SELECT * FROM " + db.table("contact_tags") + " WHERE " + db.q("contact_id") + " = 'p'"))
                    .singleElement().satisfies(row -> assertThat(row)
                            .containsEntry("_source", "webhook").containsEntry("_deleted", false)
                            .containsEntry("tag_id", "t_z"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aBatchPreparedAheadIsWrittenAsTheSameBatchInline(TestDatabase.Kind kind) {
        try (TestDatabase inline = TestDatabase.open(kind); TestDatabase ahead = TestDatabase.open(kind)) {
            // a pull prepares its next page while the page before is written; that one adds a column meanwhile
            List<CanonicalRecord> first = List.of(contactWithTags("p", 2, "x", "y"), contactWithTags("q", 2),
                    contact("r", 3, Map.of("name", "Rae", "custom_attributes", JSON.createObjectNode().put("seats", 4))));
            List<CanonicalRecord> second = List.of(contact("p", 1, Map.of("name", "stale")),
                    contact("s", 4, Map.of("name", "Sam", "plan", "pro")), contactWithTags("q", 5, "z"));
            WarehouseUpsert inlineWriter = writer(inline, Clock.systemUTC());
            WarehouseUpsert aheadWriter = writer(ahead, Clock.systemUTC());
            inlineWriter.write(first);
            inlineWriter.write(second);

            WarehouseUpsert.PreparedBatch secondPrepared = aheadWriter.prepare(second);
            aheadWriter.write(first, null, aheadWriter.prepare(first));
            WriteResult result = aheadWriter.write(second, null, secondPrepared);

            assertThat(result.table("contacts")).isEqualTo(new WriteResult.TableCounts(2, 1, 0, 0));
            for (String id : List.of("p", "q", "r", "s")) {
                Map<String, Object> expected = comparable(inline.row("contacts", id));
                Map<String, Object> actual = comparable(ahead.row("contacts", id));
                assertThat(actual).as(id).isEqualTo(expected);
                assertThat(tags(ahead, id)).as(id).isEqualTo(tags(inline, id));
            }
            assertThat(ahead.row("contacts", "s")).containsEntry("plan", "pro");
            assertThat(tags(ahead, "q")).containsExactly("z");
        }
    }

    /** A row without its sync time, JSON that H2 returns as bytes as text. */
    private static Map<String, Object> comparable(Map<String, Object> row) {
        Map<String, Object> values = new LinkedHashMap<>();
        row.forEach((column, value) -> values.put(column,
                value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : value));
        values.remove("_synced_at");
        return values;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aBatchPreparedForOtherRecordsIsNotWrittenInstead(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            WarehouseUpsert.PreparedBatch other = writer.prepare(List.of(contact("o", 1, Map.of("name", "Other"))));

            writer.write(List.of(contact("c", 1, Map.of("name", "Cat"))), null, other);

            assertThat(db.row("contacts", "c")).containsEntry("name", "Cat");
            assertThat(db.query("SELECT * FROM " + db.table("contacts") + " WHERE " + db.q("id") + " = 'o'")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void markVanishedDeletesRowsNotSyncedSinceTheRunStarted(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
            WarehouseUpsert writer = writer(db, clock);
            writer.write(List.of(contact("stays", 1, Map.of()), contact("vanishes", 1, Map.of())));

            Instant runStarted = Instant.parse("2024-05-02T00:00:00Z");
            clock.set(runStarted.plusSeconds(5));
            writer.write(List.of(contact("stays", 1, Map.of())));

            assertThat(writer.markVanished("contacts", runStarted)).isEqualTo(1);
            assertThat(writer.markVanished("contacts", runStarted)).isZero();
            assertThat(db.row("contacts", "vanishes")).containsEntry("_deleted", true);
            assertThat(db.row("contacts", "stays")).containsEntry("_deleted", false);
            assertThat(writer.markVanished("never_written", runStarted)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void typedValuesRoundTrip(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            JsonNode location = JSON.readTree("{\"city\":\"Zürich\",\"coords\":[47.37,8.54],\"quote\":\"it's \\\"x\\\"\"}");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("created_at", 1_700_000_000L);
            row.put("session_count", 42);
            row.put("score", 0.125);
            row.put("unsubscribed_from_emails", true);
            row.put("location", location);
            row.put("email", 12345L);
            row.put("custom_attributes", JSON.readTree("{\"plan\":\"pro\"}"));
            row.put("custom_first_paid", Instant.parse("2023-03-04T05:06:07.123456Z"));
            row.put("custom_tiers", JSON.readTree("[1,2]"));
            writer.write(List.of(contact("c1", 1_700_000_500L, row)));

            // A fresh writer reads the column types back from the database, as after a restart.
            WarehouseUpsert restarted = writer(db, Clock.systemUTC());
            restarted.write(List.of(contact("c2", 1, Map.of("location", location, "custom_first_paid", 1_600_000_000L))));

            try (Connection connection = db.dataSource().getConnection();
                 PreparedStatement statement = connection.prepareStatement("SELECT " + String.join(", ",
                         db.q("created_at"), db.q("updated_at"), db.q("session_count"), db.q("score"),
                         db.q("unsubscribed_from_emails"), db.q("location"), db.q("email"), db.q("custom_first_paid"),
                         db.q("custom_tiers"), db.q("_synced_at"), db.q("custom_attributes"))
                         + " FROM " + db.table("contacts") + " WHERE " + db.q("id") + " = ?")) {
                statement.setString(1, "c1");
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(db.dialect.readTimestamp(rs, 1)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
                    assertThat(db.dialect.readTimestamp(rs, 2)).isEqualTo(Instant.ofEpochSecond(1_700_000_500L));
                    assertThat(rs.getLong(3)).isEqualTo(42L);
                    assertThat(rs.getDouble(4)).isEqualTo(0.125);
                    assertThat(rs.getBoolean(5)).isTrue();
                    assertThat(JSON.readTree(rs.getString(6))).isEqualTo(location);
                    assertThat(rs.getString(7)).isEqualTo("12345");
                    assertThat(db.dialect.readTimestamp(rs, 8)).isEqualTo(Instant.parse("2023-03-04T05:06:07.123456Z"));
                    assertThat(JSON.readTree(rs.getString(9))).isEqualTo(JSON.readTree("[1,2]"));
                    assertThat(db.dialect.readTimestamp(rs, 10)).isBefore(Instant.now().plusSeconds(1));
                    assertThat(JSON.readTree(rs.getString(11)).get("plan").asText()).isEqualTo("pro");
                }
                statement.setString(1, "c2");
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(JSON.readTree(rs.getString(6))).isEqualTo(location);
                    assertThat(db.dialect.readTimestamp(rs, 8)).isEqualTo(Instant.ofEpochSecond(1_600_000_000L));
                }
            }
            if (kind == TestDatabase.Kind.POSTGRES) {
                assertThat(db.query("SELECT " + db.q("location") + " ->> 'city' AS city FROM " + db.table("contacts")
                        + " WHERE " + db.q("id") + " = 'c1'").get(0)).containsEntry("city", "Zürich");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storedVersionsReportsExistingRows(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            assertThat(writer.storedVersions("contacts", List.of("a"))).isEmpty();
            writer.write(List.of(contact("a", 10, Map.of()), contact("b", 20, Map.of()),
                    CanonicalRecord.upsert("contacts", "c", Source.PULL, null, Map.of(), Map.of())));

            Map<String, Long> versions = writer.storedVersions("contacts", List.of("a", "b", "c", "missing"));

            assertThat(versions).containsEntry("a", 10L).containsEntry("b", 20L).containsEntry("c", null)
                    .doesNotContainKey("missing");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aRowStoredSoonAfterItsVersionReportsNoSettledVersion(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            Instant now = Instant.parse("2026-06-01T12:00:00Z");
            WarehouseUpsert writer = writer(db, Clock.fixed(now, ZoneOffset.UTC));
            long justChanged = now.getEpochSecond() - 2;
            long longAgo = now.getEpochSecond() - 3_600;
            writer.write(List.of(contact("fresh", justChanged, Map.of()), contact("old", longAgo, Map.of())));

            // a change in the same second as "fresh" was read would carry the same updated_at: not proven unchanged
            assertThat(writer.storedVersions("contacts", List.of("fresh", "old"), Duration.ofSeconds(10)))
                    .containsEntry("fresh", null).containsEntry("old", longAgo);
            assertThat(writer.storedVersions("contacts", List.of("fresh", "old")))
                    .containsEntry("fresh", justChanged).containsEntry("old", longAgo);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void recordsForSeveralTablesGoInOneBatch(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());

            WriteResult result = writer.write(List.of(contact("c1", 1, Map.of()),
                    CanonicalRecord.upsert("Admin Users", "a1", Source.PULL, 5L, Map.of("Name", "Ada"), Map.of())));

            assertThat(result.table("contacts").written()).isEqualTo(1);
            assertThat(result.table("admin_users").written()).isEqualTo(1);
            assertThat(db.row("admin_users", "a1")).containsEntry("name", "Ada");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void twoWritersOfTheSameRowsEndWithTheNewest(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert pull = writer(db, Clock.systemUTC());
            WarehouseUpsert webhook = writer(db, Clock.systemUTC());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add("c" + i);
            }
            // Odd versions rising from one writer, even versions falling from the other: the newest is 40.
            List<List<CanonicalRecord>> oddBatches = new ArrayList<>();
            List<List<CanonicalRecord>> evenBatches = new ArrayList<>();
            for (int v = 1; v <= 40; v++) {
                List<String> shuffled = new ArrayList<>(ids);
                Collections.shuffle(shuffled, new Random(v));
                long version = v;
                List<CanonicalRecord> batch = shuffled.stream()
                        .map(id -> contactWithTags(id, version, "v" + version)).toList();
                (v % 2 == 1 ? oddBatches : evenBatches).add(batch);
            }
            Collections.reverse(evenBatches);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<?> first = threads.submit(() -> oddBatches.forEach(pull::write));
                Future<?> second = threads.submit(() -> evenBatches.forEach(webhook::write));
                first.get();
                second.get();
            } finally {
                threads.shutdownNow();
            }

            List<Map<String, Object>> rows = db.query("SELECT " + db.q("id") + ", " + db.q("name") + ", "
                    + db.q("_source_updated_at") + " FROM " + db.table("contacts"));
            assertThat(rows).hasSize(40).allSatisfy(row -> {
                assertThat(row).containsEntry("name", "v40");
                assertThat(((Number) row.get("_source_updated_at")).longValue()).isEqualTo(40L);
            });
            assertThat(db.query("SELECT " + db.q("name") + " FROM " + db.table("contact_tags")))
                    .hasSize(40).allSatisfy(row -> assertThat(row).containsEntry("name", "v40"));
        }
    }

    private static List<String> tags(TestDatabase db, String contactId) {
        return db.query("SELECT " + db.q("name") + " FROM " + db.table("contact_tags") + " WHERE "
                        + db.q("contact_id") + " = ? ORDER BY " + db.q("name"), contactId).stream()
                .map(row -> (String) row.get("name")).toList();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aChildRowRecordChangesThatRowAndLeavesItsSiblingsAlone(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            writer.write(List.of(contactWithTags("c1", 100, "vip", "beta")));

            writer.write(List.of(tagRow("c1", "t_new", "new", 150, CanonicalRecord.Operation.UPSERT)));
            writer.write(List.of(tagRow("c1", "t_beta", "beta", 150, CanonicalRecord.Operation.DELETE)));

            assertThat(tagNames(db, "c1")).containsExactly("new", "vip");
            assertThat(db.row("contacts", "c1")).containsEntry("name", "v100");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anOlderChildRowChangeIsHeldBack(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            writer.write(List.of(contactWithTags("c1", 200, "vip")));

            writer.write(List.of(tagRow("c1", "t_vip", "renamed", 100, CanonicalRecord.Operation.UPSERT),
                    tagRow("c1", "t_vip", "vip", 150, CanonicalRecord.Operation.DELETE)));
            assertThat(tagNames(db, "c1")).containsExactly("vip");

            // within one batch the newest change of a row wins
            writer.write(List.of(tagRow("c1", "t_x", "x", 300, CanonicalRecord.Operation.DELETE),
                    tagRow("c1", "t_x", "x", 250, CanonicalRecord.Operation.UPSERT)));
            assertThat(tagNames(db, "c1")).containsExactly("vip");
        }
    }

    private static CanonicalRecord tagRow(String contactId, String tagId, String name, long version,
                                          CanonicalRecord.Operation op) {
        return new CanonicalRecord("contact_tags", tagId, op, Source.WEBHOOK, version,
                Map.of("contact_id", contactId, "name", name), Map.of());
    }

    private static List<Object> tagNames(TestDatabase db, String contactId) {
        return db.query("SELECT " + db.q("name") + " FROM " + db.table("contact_tags") + " WHERE "
                        + db.q("contact_id") + " = ? ORDER BY " + db.q("name"), contactId).stream()
                .map(row -> row.get("name")).toList();
    }

    private static WarehouseUpsert writer(TestDatabase db, Clock clock) {
        return new WarehouseUpsert(db.dataSource(), db.dialect, db.schema, TestTables.ALL, clock);
    }

    /** A pull's checkpoint and the branches' queue rows commit with the batch's rows, or none of them does. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void whatIsCommittedAlongsideCommitsWithTheRowsOrNotAtAll(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = writer(db, Clock.systemUTC());
            writer.write(List.of(contact("c0", 1, Map.of("name", "first"))));
            String alongside = db.table("alongside");
            new org.springframework.jdbc.core.JdbcTemplate(db.dataSource())
                    .execute("CREATE TABLE " + alongside + " (id VARCHAR(20))");
            AlsoCommitted mark = transaction -> transaction.update("INSERT INTO " + alongside + " VALUES ('page-1')");

            writer.write(List.of(contact("c1", 100, Map.of("name", "Ann"))), List.of(mark));
            assertThat(db.row("contacts", "c1")).containsEntry("name", "Ann");
            assertThat(db.query("SELECT id FROM " + alongside)).hasSize(1);

            AlsoCommitted failing = transaction -> {
                throw new IllegalStateException("crash before the commit");
            };
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(
                    List.of(contact("c2", 100, Map.of("name", "Bob"))), List.of(mark, failing)))
                    .hasMessageContaining("crash before the commit");
            assertThat(db.row("contacts", "c2")).isNull();
            assertThat(db.query("SELECT id FROM " + alongside)).hasSize(1);

            // a page with no records still commits its checkpoint
            writer.write(List.of(), List.of(mark));
            assertThat(db.query("SELECT id FROM " + alongside)).hasSize(2);
        }
    }
}
