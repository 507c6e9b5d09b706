package org.intercomhub.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.warehouse.Identifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Custom attribute names to columns, stored in a real (embedded H2) bookkeeping table. */
class AttributeColumnsTest {

    static final List<String> COLLIDING = List.of("plan", "Plan", "名前", "Имя", "x\"; DROP TABLE contacts; --",
            "ARR (USD)", "arr_usd", "Größe", "attributes");

    JdbcTemplate jdbc;
    String store;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        store = schema.table("attribute_columns");
    }

    @Test
    void readableNamesKeepAReadableColumn() {
        AttributeColumns columns = AttributeColumns.stored(jdbc, store);
        assertThat(columns.columnFor("contacts", "Plan Type")).isEqualTo("custom_plan_type");
        assertThat(columns.columnFor("contacts", "Имя")).isEqualTo("custom_imia");
        assertThat(columns.columnFor("contacts", "Größe")).isEqualTo("custom_grosse");
        assertThat(columns.columnFor("contacts", "Ελλάδα")).isEqualTo("custom_ellada");
        assertThat(columns.columnFor("contacts", "x\"; DROP TABLE contacts; --"))
                .isEqualTo("custom_x_drop_table_contacts");
        // nothing readable left: a hash of the name
        assertThat(columns.columnFor("contacts", "名前")).matches("custom_[0-9a-f]{8}");
    }

    @Test
    void distinctNamesNeverShareAColumn() {
        AttributeColumns columns = AttributeColumns.stored(jdbc, store);
        List<String> assigned = COLLIDING.stream().map(name -> columns.columnFor("contacts", name)).toList();

        assertThat(assigned).doesNotHaveDuplicates()
                .allSatisfy(column -> assertThat(Identifiers.sanitize(column)).isEqualTo(column))
                .allSatisfy(column -> assertThat(column).startsWith("custom_").hasSizeLessThanOrEqualTo(63));
        assertThat(assigned.get(0)).isEqualTo("custom_plan");
        assertThat(assigned.get(1)).matches("custom_plan_[0-9a-f]{8}");
        assertThat(assigned.get(6)).matches("custom_arr_usd_[0-9a-f]{8}");
        // "attributes" would land on the contacts' own custom_attributes JSON column
        assertThat(assigned.get(8)).matches("custom_attributes_[0-9a-f]{8}");
        // the same name in another table is another column family
        assertThat(columns.columnFor("companies", "Plan")).isEqualTo("custom_plan");
    }

    @Test
    void assignmentsAreStoredSoAnotherInstanceOrARestartGetsTheSameColumns() {
        AttributeColumns first = AttributeColumns.stored(jdbc, store);
        List<String> assigned = COLLIDING.stream().map(name -> first.columnFor("contacts", name)).toList();

        // a second instance sees the names in the opposite order, yet gets the same columns
        AttributeColumns second = AttributeColumns.stored(jdbc, store);
        for (int i = COLLIDING.size() - 1; i >= 0; i--) {
            assertThat(second.columnFor("contacts", COLLIDING.get(i))).isEqualTo(assigned.get(i));
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + store, Long.class)).isEqualTo(COLLIDING.size());
    }

    @Test
    void aNameAssignedMeanwhileByAnotherInstanceIsReadBack() {
        AttributeColumns mine = AttributeColumns.stored(jdbc, store);
        mine.columnFor("contacts", "seats"); // loads the (empty) assignments of contacts
        AttributeColumns theirs = AttributeColumns.stored(jdbc, store);
        assertThat(theirs.columnFor("contacts", "plan")).isEqualTo("custom_plan");

        // mine does not know "plan" yet: its insert of custom_plan for "Plan" collides on the column, it reloads
        assertThat(mine.columnFor("contacts", "Plan")).matches("custom_plan_[0-9a-f]{8}");
        assertThat(mine.columnFor("contacts", "plan")).isEqualTo("custom_plan");
    }

    @Test
    void recordsCarryEachAttributeInItsOwnColumnAndDataAttributesSayWhere() {
        RecordMapper mapper = new RecordMapper(AttributeColumns.stored(jdbc, store));
        ObjectMapper json = new ObjectMapper();
        ObjectNode contact = json.createObjectNode().put("type", "contact").put("id", "c1").put("updated_at", 1);
        ObjectNode custom = contact.putObject("custom_attributes");
        for (int i = 0; i < COLLIDING.size(); i++) {
            custom.put(COLLIDING.get(i), "value " + i);
        }

        Map<String, Object> row = mapper.toRecord("contacts", contact, Source.PULL).row();
        AttributeColumns columns = AttributeColumns.stored(jdbc, store);
        for (int i = 0; i < COLLIDING.size(); i++) {
            assertThat(row).containsEntry(columns.columnFor("contacts", COLLIDING.get(i)), "value " + i);
        }
        assertThat(row.get("custom_attributes")).asString().contains("名前");

        ObjectNode attribute = json.createObjectNode().put("type", "data_attribute").put("model", "contact")
                .put("name", "Plan").put("custom", true);
        assertThat(mapper.toRecord("data_attributes", attribute, Source.PULL).row().get("warehouse_column"))
                .isEqualTo(columns.columnFor("contacts", "Plan"));
        ObjectNode standard = json.createObjectNode().put("type", "data_attribute").put("model", "contact")
                .put("name", "email").put("custom", false);
        assertThat(mapper.toRecord("data_attributes", standard, Source.PULL).row().get("warehouse_column"))
                .isEqualTo("email");
    }
}
