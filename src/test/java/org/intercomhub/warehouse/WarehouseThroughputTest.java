package org.intercomhub.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.record.CanonicalRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prints the writer's rate for contact-shaped rows on PostgreSQL next to {@code COPY} of the same rows. A print, not
 * an assertion: timings depend on the machine.
 */
class WarehouseThroughputTest {

    private static final int ROWS = Integer.getInteger("warehouse.throughput.rows", 20_000);
    private static final int BATCH = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsRowsPerSecondAgainstCopy() throws Exception {
        try (TestDatabase db = TestDatabase.open(TestDatabase.Kind.POSTGRES)) {
            TableSpec spec = contactsSpec("contacts");
            WarehouseUpsert writer = new WarehouseUpsert(db.dataSource(), db.dialect, db.schema,
                    Map.of("contacts", spec), Clock.systemUTC());
            List<CanonicalRecord> records = new ArrayList<>(ROWS);
            for (int i = 0; i < ROWS; i++) {
                records.add(CanonicalRecord.upsert("contacts", "c" + i, CanonicalRecord.Source.PULL,
                        1_700_000_000L + i, contactRow(i), Map.of()));
            }
            writer.write(records.subList(0, BATCH)); // creates the table; timed runs start warm

            long start = System.nanoTime();
            for (int from = BATCH; from < ROWS; from += BATCH) {
                writer.write(records.subList(from, Math.min(ROWS, from + BATCH)));
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            double writeRate = (ROWS - BATCH) / writeSeconds;

            double copyRate = copyRate(db, records);
            System.out.printf("warehouse write: %d rows in %.2f s = %.0f rows/s; COPY incl. CSV: %.0f rows/s; ratio %.2f%n",
                    ROWS - BATCH, writeSeconds, writeRate, copyRate, writeRate / copyRate);
            assertThat(writer.count("contacts")).isEqualTo(ROWS);
        }
    }

    /** COPY the same rows (as CSV) into an identical table. */
    private static double copyRate(TestDatabase db, List<CanonicalRecord> records) throws Exception {
        db.execute("CREATE TABLE " + db.table("contacts_copy") + " (LIKE " + db.table("contacts") + " INCLUDING ALL)");
        List<String> columns = db.columnNames("contacts");
        StringBuilder csv = new StringBuilder();
        long start = System.nanoTime();
        for (CanonicalRecord record : records) {
            for (int c = 0; c < columns.size(); c++) {
                String column = columns.get(c);
                Object value = switch (column) {
                    case "id" -> record.id();
                    case "_synced_at" -> java.time.Instant.now().toString();
                    case "_source" -> "pull";
                    case "_source_updated_at" -> record.sourceUpdatedAt();
                    case "_deleted" -> "false";
                    default -> record.row().get(column);
                };
                if (c > 0) {
                    csv.append(',');
                }
                if (value instanceof Long seconds && column.endsWith("_at") && !column.startsWith("_")) {
                    value = java.time.Instant.ofEpochSecond(seconds);
                }
                if (value != null) {
                    csv.append('"').append(value.toString().replace("\"", "\"\"")).append('"');
                }
            }
            csv.append('\n');
        }
        double serializeSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        try (Connection connection = db.dataSource().getConnection()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY " + db.table("contacts_copy") + " (" + String.join(", ", columns.stream().map(db::q).toList())
                    + ") FROM STDIN WITH (FORMAT csv)", new StringReader(csv.toString()));
        }
        double copySeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("COPY: CSV built in %.2f s, copied in %.2f s (%.0f rows/s copying alone)%n",
                serializeSeconds, copySeconds, records.size() / copySeconds);
        return records.size() / (serializeSeconds + copySeconds);
    }

    static TableSpec contactsSpec(String name) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        columns.put("id", ColumnType.TEXT);
        for (String text : List.of("external_id", "role", "email", "phone", "name", "owner_id", "browser",
                "browser_language", "os", "language_override", "android_app_name", "ios_app_name", "workspace_id")) {
            columns.put(text, ColumnType.TEXT);
        }
        for (String time : List.of("created_at", "updated_at", "signed_up_at", "last_seen_at", "last_replied_at",
                "last_contacted_at", "last_email_opened_at")) {
            columns.put(time, ColumnType.TIMESTAMP);
        }
        columns.put("has_hard_bounced", ColumnType.BOOLEAN);
        columns.put("marked_email_as_spam", ColumnType.BOOLEAN);
        columns.put("unsubscribed_from_emails", ColumnType.BOOLEAN);
        columns.put("session_count", ColumnType.BIGINT);
        columns.put("score", ColumnType.DOUBLE);
        for (String json : List.of("avatar", "location", "social_profiles", "companies", "tags", "custom_attributes")) {
            columns.put(json, ColumnType.JSON);
        }
        return new TableSpec(name, List.of("id"), columns, null);
    }

    static Map<String, Object> contactRow(int i) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("external_id", "ext-" + i);
        row.put("role", i % 3 == 0 ? "lead" : "user");
        row.put("email", "person" + i + "@example.com");
        row.put("phone", "+41 44 000 " + (1000 + i % 9000));
        row.put("name", "Person Number " + i);
        row.put("owner_id", String.valueOf(i % 17));
        row.put("browser", "chrome");
        row.put("browser_language", "en");
        row.put("os", "Mac OS X");
        row.put("language_override", null);
        row.put("android_app_name", null);
        row.put("ios_app_name", null);
        row.put("workspace_id", "ws1");
        long t = 1_600_000_000L + i;
        for (String time : List.of("created_at", "updated_at", "signed_up_at", "last_seen_at", "last_replied_at",
                "last_contacted_at", "last_email_opened_at")) {
            row.put(time, t);
        }
        row.put("has_hard_bounced", false);
        row.put("marked_email_as_spam", false);
        row.put("unsubscribed_from_emails", i % 2 == 0);
        row.put("session_count", (long) i % 500);
        row.put("score", i / 7.0);
        row.put("avatar", json("{\"type\":\"avatar\",\"image_url\":\"https://example.com/a/" + i + ".png\"}"));
        row.put("location", json("{\"type\":\"location\",\"country\":\"Switzerland\",\"region\":\"Zurich\","
                + "\"city\":\"Zurich\",\"country_code\":\"CHE\",\"continent_code\":\"EU\"}"));
        row.put("social_profiles", json("{\"type\":\"list\",\"data\":[]}"));
        row.put("companies", json("{\"type\":\"list\",\"data\":[{\"id\":\"co" + (i % 100) + "\",\"type\":\"company\"}],"
                + "\"url\":\"/contacts/c" + i + "/companies\",\"total_count\":1,\"has_more\":false}"));
        row.put("tags", json("{\"type\":\"list\",\"data\":[],\"total_count\":0,\"has_more\":false}"));
        ObjectNode custom = JSON.createObjectNode().put("plan", i % 2 == 0 ? "pro" : "free").put("seats", i % 50);
        row.put("custom_attributes", custom);
        row.put("custom_plan", custom.get("plan").asText());
        row.put("custom_seats", (long) (i % 50));
        return row;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
