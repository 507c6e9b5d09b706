package org.intercomhub.warehouse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.intercomhub.warehouse.TestTables.CONTACTS;
import static org.intercomhub.warehouse.TestTables.contact;

class TableManagerTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void createsTheTableWithSpecColumnsKeyAndMetadata(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            TableManager tables = new TableManager(db.dataSource(), db.dialect, db.schema);
            tables.ensureTable(CONTACTS);

            assertThat(db.columnNames("contacts")).containsExactlyElementsOf(concat(CONTACTS.columns().keySet(),
                    List.of("_synced_at", "_source", "_source_updated_at", "_deleted")));
            db.execute("INSERT INTO " + db.table("contacts") + " (" + db.q("id") + ") VALUES ('c1')");
            assertThat(db.row("contacts", "c1")).containsEntry("_deleted", false);
            assertThatDuplicateKeyFails(db);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aFreshManagerReadsTheTypesOfAnExistingTable(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            new TableManager(db.dataSource(), db.dialect, db.schema).ensureTable(CONTACTS);

            Map<String, ColumnType> expected = new LinkedHashMap<>(CONTACTS.columns());
            expected.putAll(MetadataColumns.TYPES);
            assertThat(new TableManager(db.dataSource(), db.dialect, db.schema).columns("contacts"))
                    .containsExactlyEntriesOf(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void addsColumnsThatASpecGains(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            TableManager tables = new TableManager(db.dataSource(), db.dialect, db.schema);
            tables.ensureTable(CONTACTS);
            Map<String, ColumnType> wider = new LinkedHashMap<>(CONTACTS.columns());
            wider.put("browser", ColumnType.TEXT);
            tables.ensureTable(new TableSpec("contacts", CONTACTS.keyColumns(), wider, null));

            assertThat(db.columnNames("contacts")).endsWith("browser");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void newCustomColumnAppearsInTheTableAndItsViews(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            TableManager tables = new TableManager(db.dataSource(), db.dialect, db.schema);
            tables.ensureTable(CONTACTS);
            tables.ensureView(ViewSpec.whereEquals("users", "contacts", "role", "user"));
            tables.ensureView(ViewSpec.whereEquals("leads", "contacts", "role", "lead"));
            WarehouseUpsert writer = new WarehouseUpsert(db.dataSource(), tables, TestTables.ALL, Clock.systemUTC());

            writer.write(List.of(contact("u1", 1, Map.of("role", "user")), contact("l1", 1, Map.of("role", "lead"))));
            writer.write(List.of(contact("u2", 2, Map.of("role", "user", "custom_plan", "pro", "custom_seats", 12L))));

            assertThat(db.columnNames("contacts")).contains("custom_plan", "custom_seats");
            assertThat(tables.columns("contacts")).containsEntry("custom_plan", ColumnType.TEXT)
                    .containsEntry("custom_seats", ColumnType.BIGINT);
            List<Map<String, Object>> users = db.query("SELECT * FROM " + db.table("users") + " ORDER BY " + db.q("id"));
            assertThat(users).extracting(row -> row.get("id")).containsExactly("u1", "u2");
            assertThat(users.get(1)).containsEntry("custom_plan", "pro");
            assertThat(users.get(1).get("custom_seats")).isEqualTo(12L);
            assertThat(db.query("SELECT * FROM " + db.table("leads")))
                    .singleElement().satisfies(row -> assertThat(row).containsEntry("id", "l1").containsKey("custom_plan"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aHostileAttributeNameStaysData(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = new WarehouseUpsert(db.dataSource(), db.dialect, db.schema, TestTables.ALL,
                    Clock.systemUTC());
            writer.write(List.of(contact("c1", 1, Map.of("name", "first"))));
            String hostile = "custom_x\"; DROP TABLE contacts; --";
            String hostileBacktick = "custom_y`; DROP TABLE contacts; --";

            writer.write(List.of(contact("c2", 1, Map.of(hostile, "kept", hostileBacktick, "kept too"))));

            assertThat(db.columnNames("contacts")).contains("custom_x_drop_table_contacts", "custom_y_drop_table_contacts");
            assertThat(writer.countAll("contacts")).isEqualTo(2);
            assertThat(db.row("contacts", "c2")).containsEntry("custom_x_drop_table_contacts", "kept")
                    .containsEntry("custom_y_drop_table_contacts", "kept too");
            assertThat(db.row("contacts", "c1")).containsEntry("name", "first");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void twoInstancesAddingTheSameColumnAtOnceBothSucceed(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.open(kind)) {
            new TableManager(db.dataSource(), db.dialect, db.schema).ensureTable(CONTACTS);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int round = 0; round < 5; round++) {
                    Map<String, Object> sample = Map.of("custom_round_" + round, "x", "custom_shared_" + round, 1L);
                    List<Callable<List<String>>> adders = List.of(
                            () -> new TableManager(db.dataSource(), db.dialect, db.schema).ensureColumns("contacts", sample),
                            () -> new TableManager(db.dataSource(), db.dialect, db.schema).ensureColumns("contacts", sample),
                            () -> new TableManager(db.dataSource(), db.dialect, db.schema).ensureColumns("contacts", sample));
                    for (Future<List<String>> added : pool.invokeAll(adders)) {
                        added.get();
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.columnNames("contacts")).contains("custom_round_4", "custom_shared_4")
                    .doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void nullValuesDoNotAddColumnsYet(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.open(kind)) {
            WarehouseUpsert writer = new WarehouseUpsert(db.dataSource(), db.dialect, db.schema, TestTables.ALL,
                    Clock.systemUTC());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("custom_unknown", null);
            writer.write(List.of(contact("c1", 1, row)));
            assertThat(db.columnNames("contacts")).doesNotContain("custom_unknown");

            writer.write(List.of(contact("c1", 2, Map.of("custom_unknown", Instant.parse("2024-01-02T03:04:05Z")))));
            assertThat(writer.tableManager().columns("contacts")).containsEntry("custom_unknown", ColumnType.TIMESTAMP);
        }
    }

    private static void assertThatDuplicateKeyFails(TestDatabase db) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                db.execute("INSERT INTO " + db.table("contacts") + " (" + db.q("id") + ") VALUES ('c1')"));
    }

    private static List<String> concat(java.util.Collection<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

}
